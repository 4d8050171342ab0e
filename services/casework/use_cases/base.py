"""What every casework use case may rely on: the application's store and clock
(ServiceApplication), the read models and the quarterly-report fold that
CaseworkApplication builds, and the checks more than one area makes."""

from __future__ import annotations

import threading
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.casework.domain.funds import ContractScope
from services.casework.domain.reports import QuarterlyFold
from services.casework.domain.roster import RosterChild
from services.casework.exceptions import AlreadyRecorded, ContractNotActive
from services.casework.report_checkpoints import CheckpointStore
from services.casework.views import (
    CasesView,
    CommunityView,
    ContractAreasView,
    DirectorsView,
    RosterView,
    SupervisionsView,
)
from shared.errors import ConcurrentChange, RuleViolation, refuse
from shared.eventstore import ServiceApplication
from shared.past_registers import PastRegisters


class CaseworkBase(ServiceApplication):
    roster: RosterView
    cases_view: CasesView
    community_view: CommunityView
    directors_view: DirectorsView
    supervisions_view: SupervisionsView
    contract_areas: ContractAreasView
    past: PastRegisters  # the lists rebuilt as they stood (shared/past_registers.py)
    case_review_days: int  # how often an open case's plan is reviewed
    contact_cadence: dict[int, int]  # days between contacts by risk tier (the registry's setting)
    # The quarterly-report fold of the whole log, kept and advanced on demand,
    # with a pickled copy every CHECKPOINT_EVERY notifications by position
    # (use_cases/reports.py), also kept in the store (report_checkpoints.py).
    _report_fold: QuarterlyFold
    _checkpoints: dict[int, bytes]
    _stored_checkpoints: set[int]
    report_checkpoints: CheckpointStore
    _report_lock: threading.Lock

    def _child_in_programme(self, child_id: UUID, field: str) -> RosterChild:
        """The roster child, refusing one casework does not know or who has left."""
        child = self.find(RosterChild, child_id)
        if child is None:
            refuse(field, f"{child_id} is not a child known to casework from the registry")
        left = child.left
        if left is not None:  # not child.active
            refuse(field, f"{child_id} left the programme ({left['reason']} on {left['on'].isoformat()})")
        return child

    def _contract_takes_work(self, contract_id: UUID | None) -> None:
        """Refuse new work under a contract grants suspended, terminated or
        closed (ContractNotActive); no contract, or one not (yet) known, passes."""
        if contract_id is None:
            return
        scope = self.find(ContractScope, ContractScope.create_id(contract_id))
        if scope is not None and not scope.takes_new_work:
            raise ContractNotActive(contract_id, scope.status)

    def _children_in_programme(self, child_ids: list[UUID], field: str) -> list[RosterChild]:
        """Each roster child, refusing with every reason at once if any may not be served."""
        children, problems = [], []
        for child_id in child_ids:
            try:
                children.append(self._child_in_programme(child_id, field))
            except RuleViolation as error:
                problems += error.fields[field]
        if problems:
            raise RuleViolation({field: problems})
        return children

    def _record_new(self, record: Aggregate, what: str) -> UUID:
        """Save a record whose identifying details make its id (a director, an
        organisation); if that record exists already, AlreadyRecorded."""
        try:
            self.save_or_conflict(record)
        except ConcurrentChange:
            raise AlreadyRecorded(what, record.id) from None
        return record.id
