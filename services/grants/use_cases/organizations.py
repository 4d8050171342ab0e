"""Organizations: registration (one per credit code), dated evidence, and the
public list of bans."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from services.grants.domain.organizations import CreditCodeClaim, Organization
from services.grants.exceptions import DuplicateCreditCode, OrganizationNotFound
from services.grants.use_cases.base import GrantsBase
from shared.context import current_meta
from shared.errors import ConcurrentChange


class OrganizationUseCases(GrantsBase):
    def register_organization(self, **details: Any) -> UUID:
        credit_code = details["credit_code"]
        org = Organization.register(today=self.clock(), **details)
        self._refuse_known_credit_code(credit_code)
        claim = CreditCodeClaim(credit_code=credit_code, organisation_id=org.id)
        try:
            self.save_or_conflict(org, claim, record="organization")
        except ConcurrentChange:
            self._refuse_known_credit_code(credit_code)
            raise
        return org.id

    def _refuse_known_credit_code(self, credit_code: str) -> None:
        claim = self.find(CreditCodeClaim, CreditCodeClaim.create_id(credit_code))
        if claim is not None:
            raise DuplicateCreditCode(claim.organisation_id)

    def submit_evidence(self, organization_id: UUID, **item: Any) -> UUID:
        """An applicant's document: on file, not counted until verified."""
        org = self.load(Organization, organization_id, OrganizationNotFound)
        evidence_id = uuid.uuid4()
        org.submit_evidence(evidence_id=evidence_id, item=item, today=self.clock())
        self.save_or_conflict(org, record="organization")
        return evidence_id

    def record_evidence(self, organization_id: UUID, *, source: str, **item: Any) -> UUID:
        """Evidence the bureau checked itself against `source`: on file and
        verified by the caller at once."""
        org = self.load(Organization, organization_id, OrganizationNotFound)
        evidence_id, today = uuid.uuid4(), self.clock()
        org.submit_evidence(evidence_id=evidence_id, item=item, today=today)
        org.verify_evidence(
            evidence_id=evidence_id,
            decision="verified",
            source=source,
            verified_by=current_meta().actor_id,
            reason="",
            today=today,
        )
        self.save_or_conflict(org, record="organization")
        return evidence_id

    def verify_evidence(
        self, organization_id: UUID, evidence_id: UUID, *, decision: str, source: str, reason: str = ""
    ) -> None:
        org = self.load(Organization, organization_id, OrganizationNotFound)
        org.verify_evidence(
            evidence_id=evidence_id,
            decision=decision,
            source=source,
            verified_by=current_meta().actor_id,
            reason=reason,
            today=self.clock(),
        )
        self.save_or_conflict(org, record="organization")

    def get_organization(self, organization_id: UUID) -> dict[str, Any]:
        org = self.load(Organization, organization_id, OrganizationNotFound)
        today = self.clock()
        return {
            "organization_id": org.id,
            "name": org.name,
            "credit_code": org.credit_code,
            "registration_type": org.registration_type,
            "legal_representative": org.legal_representative,
            "project_lead": org.project_lead,
            "accountant": org.accountant,
            "accounting_regime": org.accounting_regime,
            "has_financial_rules": org.has_financial_rules,
            "bank_account": org.bank_account,
            "registered_on": org.registered_on,
            "evidence": org.evidence,
            "bans": org.bans,
            "banned_now": org.ban_on(today) is not None,
            "version": org.version,
        }

    def list_organizations(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.views.list_organizations(limit, after)

    def list_bans(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        today = self.clock()
        rows = self.views.list_bans(limit, after)
        return [{**row, "in_force": row["decided_on"] <= today < row["banned_until"]} for row in rows]
