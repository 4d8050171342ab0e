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


def own_scores_for_a_reviewer(caller: Caller, application: Any) -> Any:
    """An application as a reviewer sees it: only the scores of their own seats
    and no mean. Each panel member judges for themselves (卫沙民社函〔2025〕11号
    §四.(二).1, 组织评审): a reviewer who could read the others' scores, or the
    mean they make, before scoring could follow them. Everyone else sees the application unchanged."""
    if caller.role != REVIEWER or not isinstance(application, dict):
        return application
    own = {str(seat) for seat in caller.scope.get("panel_member_ids") or ()}
    return {
        **application,
        "scores": [s for s in application.get("scores") or () if str(s.get("member_id")) in own],
        "mean_score": None,
    }
