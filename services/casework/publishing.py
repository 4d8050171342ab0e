"""Which casework events become public, and in what shape (shared.contracts.casework).
Every service to a child is published so the registry can add it to the
child's help records; notes and other private detail stay here."""

from __future__ import annotations

from typing import Any

from services.casework.domain.activities import KIND_LINES, Activity
from services.casework.domain.care import CareService, service_line_of
from services.casework.domain.cases import Case
from services.casework.domain.directors import Supervision
from services.casework.domain.groups import Group


def public_event(e: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(e, Case.Opened):
        return "casework.case_opened.v1", {
            "case_id": e.originator_id,
            "child_id": e.child_id,
            "contract_id": e.contract_id,
            "opened_on": e.opened_on,
            "worker": e.worker,
        }
    if isinstance(e, Case.SessionRecorded):
        return "casework.session_held.v1", {
            "case_id": e.originator_id,
            "child_id": e.child_id,
            "session_id": e.session_id,
            "held_on": e.held_on,
            "session_type": e.session_type,
            "duration_minutes": e.duration_minutes,
            "worker": e.worker,
        }
    if isinstance(e, Case.Closed):
        return "casework.case_closed.v1", {
            "case_id": e.originator_id,
            "child_id": e.child_id,
            "closed_on": e.closed_on,
            "reason": e.reason,
        }
    if isinstance(e, Group.SessionHeld):
        return "casework.group_session_held.v1", {
            "group_id": e.originator_id,
            "session_id": e.session_id,
            "held_on": e.held_on,
            "service_line": e.service_line,
            "attended_child_ids": e.attended_child_ids,
        }
    if isinstance(e, Activity.Held):
        return "casework.activity_held.v1", {
            "activity_id": e.originator_id,
            "contract_id": e.contract_id,
            "kind": e.kind,
            "title": e.title,
            "held_on": e.held_on,
            "service_line": KIND_LINES[e.kind],
            "child_ids": e.child_ids,
            "guardian_count": e.guardian_count,
            "community_count": e.community_count,
            "town": e.town,
            "village": e.village,
        }
    if isinstance(e, CareService.Given):
        return "casework.care_service_given.v1", {
            "service_id": e.originator_id,
            "child_id": e.child_id,
            "contract_id": e.contract_id,
            "given_on": e.given_on,
            "service_line": service_line_of(e.kind),
            "kind": e.kind,
            "value_fen": e.value_fen,
            "resource": e.resource,
        }
    if isinstance(e, Supervision.Held):
        return "casework.supervision_held.v1", {
            "supervision_id": e.originator_id,
            "held_on": e.held_on,
            "kind": e.kind,
            "director_ids": e.director_ids,
        }
    return None
