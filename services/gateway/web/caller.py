"""Who is calling: the signed-in user as the gateway's rules see them."""
from __future__ import annotations

from dataclasses import dataclass, field

from services.gateway.domain import BUREAU_ADMIN, CHILD_DIRECTOR, PROVIDER_STAFF

# Roles whose work needs the full ID number, and the mental-health details.
SEES_ID_NUMBERS = frozenset({BUREAU_ADMIN, CHILD_DIRECTOR})
SEES_MENTAL_HEALTH = frozenset({BUREAU_ADMIN, CHILD_DIRECTOR, PROVIDER_STAFF})


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
    def masks_mental_health(self) -> bool:
        return self.role not in SEES_MENTAL_HEALTH
