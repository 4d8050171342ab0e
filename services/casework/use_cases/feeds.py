"""What casework makes of other services' public events: the registry's keep
the roster (who may be served, where, at what risk tier) current; finance's
record the money behind each contract; grants' the scope each signed contract
asks for. Each handler returns the aggregates whose new events are the effect;
the consumer saves them with its tracking row."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from uuid import UUID

from services.casework.domain.cases import Case
from services.casework.domain.funds import ACTIVE, CLOSED, SUSPENDED, TERMINATED, ContractFunds, ContractScope
from services.casework.domain.roster import MIRRORED_FIELDS, RosterChild
from services.casework.exceptions import CaseNotFound
from services.casework.use_cases.base import CaseworkBase
from shared.vocabulary import CATEGORIES

log = logging.getLogger(__name__)

# Registry's reason a child left → the closure reason a worker will likely use.
SUGGESTED_CLOSURE = {"aged_out": "aged_out", "transferred_out": "transferred", "merged": "other"}

# Grants' lifecycle events → the contract's status in casework, and the date field.
STATUS_EVENTS = {
    "grants.contract_suspended.v1": (SUSPENDED, "suspended_on"),
    "grants.contract_reinstated.v1": (ACTIVE, "reinstated_on"),
    "grants.contract_terminated.v1": (TERMINATED, "terminated_on"),
    "grants.contract_terminated.v2": (TERMINATED, "terminated_on"),
    "grants.completion_recorded.v1": (CLOSED, "completed_on"),
}


class FeedUseCases(CaseworkBase):
    def handle_registry_event(self, envelope: dict[str, Any]) -> list[Any]:
        """Effects of one registry event (saved with its tracking row by the caller)."""
        kind, p = envelope["type"], envelope["payload"]
        if kind in ("registry.child_registered.v1", "registry.child_registered.v2"):
            if self._roster_child_or_none(p["child_id"]) is not None:
                self._already_enrolled(envelope)
                return []
            return [
                RosterChild(
                    child_id=p["child_id"],
                    name=p["name"],
                    date_of_birth=p["date_of_birth"],
                    town=p["town"],
                    village=p["village"],
                    categories=p["categories"],
                    registered_on=p["registered_on"],
                    contract_id=p.get("contract_id"),  # v2: the line-1 contract it was opened under
                )
            ]
        child_id = p.get("merged_id") if kind == "registry.files_merged.v1" else p.get("child_id")
        child = self._roster_child_or_none(child_id)
        if child is None:
            if child_id is not None:
                log.warning("%s for a child casework does not know: %s", kind, child_id)
            return []
        if kind == "registry.child_details_corrected.v1":
            return self._corrected(child, p)
        if kind == "registry.risk_level_assessed.v1":
            child.assess_risk(level=p["level"], assessed_on=p["assessed_on"], next_contact_due=p["next_contact_due"])
            return [child]
        if kind in ("registry.visit_recorded.v1", "registry.visit_recorded.v2"):
            child.record_visit(
                visit_id=p["visit_id"],
                visited_on=p["visited_on"],
                contract_id=p.get("contract_id"),  # v2: the line-1 contract it was made under
                household=p.get("household"),
            )
            return [child]
        if kind == "registry.left_behind_status_ended.v1":
            child.end_left_behind(ended_on=p["ended_on"])
            return [child]
        if kind == "registry.child_aged_out.v1":
            return self._left(child, "aged_out", p["aged_out_on"], None)
        if kind == "registry.child_transferred_out.v1":
            return self._left(child, "transferred_out", p["transferred_on"], p["destination"])
        if kind == "registry.files_merged.v1":
            return self._left(child, "merged", p["merged_on"], str(p["survivor_id"]))
        return []

    def _already_enrolled(self, envelope: dict[str, Any]) -> None:
        """A registration of a child on the roster. If the feed has already
        taken in this very notification, another replica applied it between our
        check and our handling (or it was redelivered meanwhile): harmless, the
        consumer finds it tracked and records nothing. Otherwise the registry
        registered one child twice: worth an operator's look."""
        child_id, notification_id = envelope["payload"]["child_id"], envelope["notification_id"]
        if self.tracked_position("registry") >= notification_id:
            log.info("registration %d of %s already taken in by another replica", notification_id, child_id)
        else:
            log.warning(
                "registration of a child already enrolled ignored: %s (notification %d)", child_id, notification_id
            )

    def _roster_child_or_none(self, child_id: UUID | None) -> RosterChild | None:
        return None if child_id is None else self.find(RosterChild, child_id)

    def _corrected(self, child: RosterChild, p: dict[str, Any]) -> list[Any]:
        field, value = p["field"], p["value"]
        if field not in MIRRORED_FIELDS or value is None:
            return []
        try:
            value = _mirrored_value(field, value)
        except (TypeError, ValueError) as error:
            log.warning("ignored correction of %s for %s: %s", field, p["child_id"], error)
            return []
        child.correct(field=field, value=value, corrected_on=p["corrected_on"])
        return [child]

    def _left(self, child: RosterChild, reason: str, on: date, detail: str | None) -> list[Any]:
        if not child.active:
            return []
        child.leave(reason=reason, left_on=on, detail=detail)
        effects: list[Any] = [child]
        for case_id in child.open_case_ids:
            case = self.load(Case, case_id, CaseNotFound)
            if case.is_open:
                case.flag_for_closure(
                    why=f"child {reason.replace('_', ' ')} on {on.isoformat()}",
                    suggested_reason=SUGGESTED_CLOSURE[reason],
                    flagged_on=on,
                )
                effects.append(case)
        return effects

    def handle_finance_event(self, envelope: dict[str, Any]) -> list[Any]:
        kind, p = envelope["type"], envelope["payload"]
        if kind == "finance.tranche_paid.v1":
            funds = self._funds(p["contract_id"])
            funds.tranche_paid(
                tranche_id=p["tranche_id"], number=p["number"], amount_fen=p["amount_fen"], paid_on=p["paid_on"]
            )
        elif kind == "finance.expenditure_recorded.v1":
            funds = self._funds(p["contract_id"])
            funds.expenditure_recorded(
                expenditure_id=p["expenditure_id"],
                budget_line=p["budget_line"],
                fund=p["fund"],
                amount_fen=p["amount_fen"],
                spent_on=p["spent_on"],
            )
        elif kind == "finance.donation_received.v1":
            funds = self._funds(p["contract_id"])
            funds.donation_received(
                donation_id=p["donation_id"], donor=p["donor"], amount_fen=p["amount_fen"], received_on=p["received_on"]
            )
        else:
            return []
        return [funds]

    def handle_grants_event(self, envelope: dict[str, Any]) -> list[Any]:
        """Only the signed contract's scope, period and service area matter to
        casework (v1, signed before contracts named an area: reaches only referrals),
        and its status as grants suspends, reinstates, terminates or completes it."""
        kind, p = envelope["type"], envelope["payload"]
        if kind in STATUS_EVENTS:
            return self._contract_status(kind, p)
        if kind not in ("grants.contract_signed.v1", "grants.contract_signed.v2"):
            return []
        if self.find(ContractScope, ContractScope.create_id(p["contract_id"])) is not None:
            return []  # already known; a contract is signed once
        return [
            ContractScope(
                contract_id=p["contract_id"],
                organization_id=p["organization_id"],
                service_lines=p["service_lines"],
                period_start=p["period_start"],
                period_end=p["period_end"],
                signed_on=p["signed_on"],
                service_area=p.get("service_area", []),
            )
        ]

    def _contract_status(self, kind: str, p: dict[str, Any]) -> list[Any]:
        status, on_field = STATUS_EVENTS[kind]
        scope = self.find(ContractScope, ContractScope.create_id(p["contract_id"]))
        if scope is None:
            log.warning("%s for a contract casework does not know: %s", kind, p["contract_id"])
            return []
        return [scope] if scope.change_status(status, p[on_field]) else []

    def _funds(self, contract_id: UUID | None) -> ContractFunds:
        found = self.find(ContractFunds, ContractFunds.create_id(contract_id))
        return found if found is not None else ContractFunds(contract_id=contract_id)


def _mirrored_value(field: str, value: Any) -> Any:
    if field == "date_of_birth":
        return date.fromisoformat(value)
    if field == "categories":
        if not isinstance(value, list) or not value or not set(value) <= set(CATEGORIES):
            raise ValueError(f"not a list of {', '.join(CATEGORIES)}")
        return list(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("not a non-empty string")
    return value
