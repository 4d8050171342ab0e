"""Casework's own knowledge of registered children (its roster), learnt from
the registry's public events, plus which cases each child has open."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from shared.errors import RuleViolation

# Registry fields casework mirrors; corrections to any other field are ignored.
MIRRORED_FIELDS = ("name", "date_of_birth", "town", "village", "categories")


class RosterChild(Aggregate):
    """A child casework may serve; the id is the registry's child id."""

    @staticmethod
    def create_id(child_id: uuid.UUID) -> uuid.UUID:
        return child_id

    class Enrolled(Aggregate.Created):
        """v2 adds the registry's registration date (v1 events: unknown, None);
        v3 the contract the file was opened under (line 1, 卫沙民社函〔2025〕11号
        §三.(四).1; None: the bureau's or a director's, or opened before)."""

        class_version = 3
        child_id: uuid.UUID
        name: str
        date_of_birth: date
        town: str
        village: str
        categories: list[str]
        registered_on: date | None
        contract_id: uuid.UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["registered_on"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["contract_id"] = None

    @event(Enrolled)
    def __init__(
        self,
        child_id: uuid.UUID,
        name: str,
        date_of_birth: date,
        town: str,
        village: str,
        categories: list[str],
        registered_on: date | None = None,
        contract_id: uuid.UUID | None = None,
    ):
        self.name = name
        self.opened_under = contract_id
        self.registered_on = registered_on
        self.date_of_birth = date_of_birth
        self.town = town
        self.village = village
        self.categories = list(categories)
        self.risk_level: int | None = None
        self.next_contact_due: date | None = None
        self.left: dict[str, Any] | None = None
        self.open_case_ids: list[uuid.UUID] = []
        self.referrals: dict[str, dict[str, Any]] = {}  # contract id → the referral in force

    @property
    def active(self) -> bool:
        return self.left is None

    class DetailsCorrected(Aggregate.Event):
        field: str
        value: Any
        corrected_on: date

    @event(DetailsCorrected)
    def correct(self, field: str, value: Any, corrected_on: date) -> None:
        if field in MIRRORED_FIELDS:
            setattr(self, field, list(value) if isinstance(value, list) else value)

    class RiskAssessed(Aggregate.Event):
        level: int
        assessed_on: date
        next_contact_due: date

    @event(RiskAssessed)
    def assess_risk(self, level: int, assessed_on: date, next_contact_due: date) -> None:
        self.risk_level = level
        self.next_contact_due = next_contact_due

    class Visited(Aggregate.Event):
        """v2: the contract the visit was made under and the household (v1: none)."""

        class_version = 2
        visit_id: uuid.UUID
        visited_on: date
        contract_id: uuid.UUID | None
        household: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["contract_id"] = None
            state["household"] = None

    @event(Visited)
    def record_visit(
        self,
        visit_id: uuid.UUID,
        visited_on: date,
        contract_id: uuid.UUID | None = None,
        household: str | None = None,
    ) -> None:
        pass

    class LeftBehindEnded(Aggregate.Event):
        ended_on: date

    @event(LeftBehindEnded)
    def end_left_behind(self, ended_on: date) -> None:
        self.categories = [c for c in self.categories if c != "left_behind"]

    class Left(Aggregate.Event):
        reason: str
        left_on: date
        detail: str | None

    @event(Left)
    def leave(self, reason: str, left_on: date, detail: str | None) -> None:
        """Aged out, transferred out, or merged into another file (detail: where)."""
        self.left = {"reason": reason, "on": left_on, "detail": detail}

    def refer(self, *, contract_id: uuid.UUID, reason: str, referred_by: str, on: date) -> None:
        """The bureau or the child's director refers the child to a contract
        whose service area the child does not live in (a recorded decision)."""
        problems = {}
        if not reason.strip():
            problems["reason"] = ["say why the child is referred to this contract"]
        if str(contract_id) in self.referrals:
            problems["contract_id"] = ["the child is already referred to this contract"]
        if not self.active:
            problems["child_id"] = ["the child has left the programme"]
        if problems:
            raise RuleViolation(problems)
        self._referred(contract_id=contract_id, reason=reason, referred_by=referred_by, referred_on=on)

    @event("Referred")
    def _referred(self, contract_id: uuid.UUID, reason: str, referred_by: str, referred_on: date) -> None:
        self.referrals = {
            **self.referrals,
            str(contract_id): {
                "contract_id": contract_id,
                "reason": reason,
                "referred_by": referred_by,
                "referred_on": referred_on,
            },
        }

    def withdraw_referral(self, *, contract_id: uuid.UUID, reason: str, withdrawn_by: str, on: date) -> None:
        if str(contract_id) not in self.referrals:
            raise RuleViolation({"contract_id": ["the child is not referred to this contract"]})
        if not reason.strip():
            raise RuleViolation({"reason": ["say why the referral is withdrawn"]})
        self._referral_withdrawn(contract_id=contract_id, reason=reason, withdrawn_by=withdrawn_by, withdrawn_on=on)

    @event("ReferralWithdrawn")
    def _referral_withdrawn(self, contract_id: uuid.UUID, reason: str, withdrawn_by: str, withdrawn_on: date) -> None:
        self.referrals = {k: v for k, v in self.referrals.items() if k != str(contract_id)}

    def is_referred_to(self, contract_id: uuid.UUID) -> bool:
        return str(contract_id) in self.referrals

    @event("CaseOpened")
    def case_opened(self, case_id: uuid.UUID) -> None:
        self.open_case_ids = [*self.open_case_ids, case_id]

    @event("CaseClosed")
    def case_closed(self, case_id: uuid.UUID) -> None:
        self.open_case_ids = [c for c in self.open_case_ids if c != case_id]
