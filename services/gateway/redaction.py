"""Parts of an answer some roles may not see although they may read the rest:
a rule here takes the caller and the answer's JSON and returns what they may
see. policy.py names the rule per route (`redact=`); the guard applies it to
successful JSON answers, before masking."""

from __future__ import annotations

from typing import Any

from services.gateway.domain import AUDITOR, BUREAU_ADMIN, REVIEWER
from services.gateway.web.caller import Caller

# Who sat on a call's review panel, and what each declared about conflicts of
# interest, is for the bureau that runs the review and the auditors who check it.
PANEL_READERS = frozenset({BUREAU_ADMIN, AUDITOR})


def panel_for_the_bureau(caller: Caller, call: Any) -> Any:
    """A call without its panel members' names and their declarations, except
    for the bureau and auditors: an applicant must not learn who judges them
    or what they declared. A reviewer keeps their own seat and declarations."""
    if caller.role in PANEL_READERS or not isinstance(call, dict):
        return call
    own = {str(seat) for seat in caller.scope.get("panel_member_ids") or ()} if caller.role == REVIEWER else set()
    return {
        **call,
        "panel": [m for m in call.get("panel") or () if str(m.get("member_id")) in own],
        "declarations": [d for d in call.get("declarations") or () if str(d.get("member_id")) in own],
    }
