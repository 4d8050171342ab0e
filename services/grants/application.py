"""Grants use cases: primitives in, primitives out. Selection (applications,
review, notice, determination) and contracting (lifecycle, sanctions) live in
their own modules; this one holds organisations, calls and the public lists."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.grants.calls import (
    DEFAULT_PREFERENCE_POINTS, DEFAULT_RUBRIC, DEFAULT_TRANCHES, Call,
)
from services.grants.contracting import ContractUseCases
from services.grants.exceptions import CallNotFound, DuplicateCreditCode, OrganisationNotFound
from services.grants.organisations import CreditCodeClaim, Organisation
from services.grants.publishing import public_event
from services.grants.selection import SelectionUseCases
from services.grants.views import GrantsViews

CALL_DEFAULTS = {
    "notice_days": 5, "notice_day_kind": "calendar", "holidays": [], "workdays": [],
    "min_scorers": 3,
}


class GrantsApplication(SelectionUseCases, ContractUseCases):
    name = "grants"
    public_events = staticmethod(public_event)

    def __init__(self, env=None):
        super().__init__(env)
        self.views = GrantsViews(self)

    # Organisations

    def register_organisation(self, **details: Any) -> UUID:
        credit_code = details["credit_code"]
        org = Organisation.register(today=self.clock(), **details)
        self._refuse_known_credit_code(credit_code)
        try:
            self.save(org, CreditCodeClaim(credit_code=credit_code, organisation_id=org.id))
        except IntegrityError:
            self._refuse_known_credit_code(credit_code)
            raise
        return org.id

    def _refuse_known_credit_code(self, credit_code: str) -> None:
        try:
            claim = self.repository.get(CreditCodeClaim.create_id(credit_code))
        except AggregateNotFoundError:
            return
        raise DuplicateCreditCode(claim.organisation_id)

    def record_evidence(self, organisation_id: UUID, **item: Any) -> UUID:
        org = self._load(Organisation, organisation_id, OrganisationNotFound)
        evidence_id = uuid.uuid4()
        org.record_evidence(evidence_id=evidence_id, item=item, today=self.clock())
        self._save(org, record="organisation")
        return evidence_id

    def get_organisation(self, organisation_id: UUID) -> dict[str, Any]:
        org = self._load(Organisation, organisation_id, OrganisationNotFound)
        today = self.clock()
        return {
            "organization_id": org.id, "name": org.name, "credit_code": org.credit_code,
            "registration_type": org.registration_type, "legal_representative": org.legal_representative,
            "project_lead": org.project_lead, "accountant": org.accountant,
            "accounting_regime": org.accounting_regime, "has_financial_rules": org.has_financial_rules,
            "bank_account": org.bank_account, "registered_on": org.registered_on,
            "evidence": org.evidence, "bans": org.bans, "banned_now": org.ban_on(today) is not None,
            "version": org.version,
        }

    def list_organisations(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.views.list_organisations(limit, after)

    # Calls

    def draft_call(self, **terms: Any) -> UUID:
        terms = {**CALL_DEFAULTS, **{k: v for k, v in terms.items() if v is not None}}
        terms.setdefault("tranches", [dict(t) for t in DEFAULT_TRANCHES])
        terms.setdefault("rubric", [dict(c) for c in DEFAULT_RUBRIC])
        terms["preference_points"] = {**DEFAULT_PREFERENCE_POINTS, **terms.get("preference_points", {})}
        call = Call.draft(today=self.clock(), terms=terms)
        self._save(call, record="call")
        return call.id

    def publish_call(self, call_id: UUID, published_on: date | None = None) -> None:
        call = self._load(Call, call_id, CallNotFound)
        call.publish(on=self._on(published_on, "published_on"))
        self._save(call, record="call")

    def close_call(self, call_id: UUID, reason: str, closed_on: date | None = None) -> None:
        call = self._load(Call, call_id, CallNotFound)
        call.close(on=self._on(closed_on, "closed_on"), reason=reason)
        self._save(call, record="call")

    def get_call(self, call_id: UUID) -> dict[str, Any]:
        call = self._load(Call, call_id, CallNotFound)
        return {
            "call_id": call.id, **call.terms, "status": call.status, "drafted_on": call.drafted_on,
            "published_on": call.published_on, "closed_on": call.closed_on, "close_reason": call.close_reason,
            "application_ids": call.application_ids, "panel": list(call.panel.values()),
            "declarations": list(call.declarations.values()), "shortlist": call.shortlist,
            "shortlisted_on": call.shortlisted_on, "ranking": call.ranking, "notice_id": call.notice_id,
            "determined_application_id": call.determined_application_id,
            "determined_amount_fen": call.determined_amount_fen, "determined_on": call.determined_on,
            "voided_determinations": call.voided_determinations, "version": call.version,
        }

    def list_calls(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.views.list_calls(limit, after)

    # Public

    def list_public_notices(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        today = self.clock()
        rows = self.views.list_notices(limit, after)
        return [{**row, "in_progress": row["opened_on"] <= today <= row["ends_on"]} for row in rows]

    def list_bans(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        today = self.clock()
        rows = self.views.list_bans(limit, after)
        return [{**row, "in_force": row["decided_on"] <= today < row["banned_until"]} for row in rows]
