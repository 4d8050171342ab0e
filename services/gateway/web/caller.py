"""Who is calling: the signed-in user as the gateway's rules see them."""
from __future__ import annotations

from dataclasses import dataclass, field

from services.gateway.domain import BUREAU_ADMIN, CHILD_DIRECTOR, PROVIDER_STAFF
from shared.masking import LAST_FOUR, REGION_ONLY

# Roles whose work needs the full ID number, and the mental-health details.
SEES_ID_NUMBERS = frozenset({BUREAU_ADMIN, CHILD_DIRECTOR})
SEES_MENTAL_HEALTH = frozenset({BUREAU_ADMIN, CHILD_DIRECTOR, PROVIDER_STAFF})
# How a masked ID number (and the birth date beside it) is cut, when it is:
# provider staff need a child's age (birth year and month) and no part of the
# number; everyone else who masks keeps a handle (last 4) and the birth year.
ID_STYLE = {PROVIDER_STAFF: REGION_ONLY}


@dataclass(frozen=True)
class Caller:
    user_id: str
    username: str
    role: str
    scope: dict = field(default_factory=dict)

    @property
    def masks_id_numbers(self) -> bool:
        return self.role not in SEES_ID_NUMBERS

    @property
    def id_style(self) -> str:
        return ID_STYLE.get(self.role, LAST_FOUR)

    @property
    def masks_mental_health(self) -> bool:
        return self.role not in SEES_MENTAL_HEALTH
