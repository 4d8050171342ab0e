"""Organizations that may apply, their dated evidence and their bans."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.grants.domain import credit_code as codes
from services.grants.domain.errors import GrantsRuleViolation

NPO_ACCOUNTING = "npo_accounting_system"  # 《民间非营利组织会计制度》
ACCOUNTING_REGIMES = (NPO_ACCOUNTING, "enterprise_accounting", "government_accounting", "other")
SUBJECTS = ("organisation", "legal_representative", "project_lead")
INSPECTION_RESULTS = ("qualified", "basically_qualified", "unqualified")
CREDIT_RESULTS = ("clear", "listed")
EXPERIENCE_OUTCOMES = ("good", "satisfactory", "poor")
BAN_YEARS = 3
CREDIT_CODE_NAMESPACE = uuid.UUID("6d1f4c33-8a4e-4d6f-9b52-1f0e6a1c2b77")

# Evidence kind → the fields it must carry besides kind and effective_on.
EVIDENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "annual_inspection": ("year", "result"),
    "evaluation_grade": ("grade", "valid_until"),
    "credit_check": ("list_name", "subject", "result"),
    "misconduct": ("subject", "description", "authority"),
    "honour": ("title", "issuer"),
    "project_experience": ("title", "issuer", "outcome"),
}
EVIDENCE_KINDS = tuple(EVIDENCE_FIELDS)
OPTIONAL_EVIDENCE_FIELDS = ("document_ref", "note")
# Only evidence the bureau verified counts for eligibility; what an applicant
# submits waits for that verification (or its rejection).
VERIFICATION_DECISIONS = ("verified", "rejected")


def ban_end(decided_on: date) -> date:
    """Three years from the decision; 29 February ends on 28 February."""
    try:
        return decided_on.replace(year=decided_on.year + BAN_YEARS)
    except ValueError:
        return decided_on.replace(year=decided_on.year + BAN_YEARS, day=28)


def registration_problems(details: dict[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    found = codes.problems(details["credit_code"])
    if found:
        problems["credit_code"] = found
    if details["accounting_regime"] not in ACCOUNTING_REGIMES:
        problems["accounting_regime"] = [f"must be one of {', '.join(ACCOUNTING_REGIMES)}"]
    return problems


def evidence_problems(item: dict[str, Any], today: date) -> dict[str, list[str]]:
    kind = item.get("kind")
    if kind not in EVIDENCE_FIELDS:
        return {"kind": [f"must be one of {', '.join(EVIDENCE_KINDS)}"]}
    problems: dict[str, list[str]] = {}
    allowed = set(EVIDENCE_FIELDS[kind]) | {"kind", "effective_on", *OPTIONAL_EVIDENCE_FIELDS}
    for name in EVIDENCE_FIELDS[kind]:
        if item.get(name) in (None, ""):
            problems[name] = [f"is required for {kind} evidence"]
    for name, value in item.items():
        if name not in allowed and value is not None:
            problems[name] = [f"does not apply to {kind} evidence"]
    effective_on = item["effective_on"]
    if effective_on > today:
        problems["effective_on"] = ["is in the future"]
    if problems:
        return problems
    if kind == "annual_inspection":
        if item["result"] not in INSPECTION_RESULTS:
            problems["result"] = [f"must be one of {', '.join(INSPECTION_RESULTS)}"]
        if not 1990 <= item["year"] < effective_on.year + 1:
            problems["year"] = ["an inspection concludes after the year it covers"]
    elif kind == "evaluation_grade":
        if item["grade"] not in (1, 2, 3, 4, 5):
            problems["grade"] = ["must be 1 to 5 (1A to 5A)"]
        if item["valid_until"] < effective_on:
            problems["valid_until"] = ["is before the grade was awarded"]
    elif kind == "credit_check":
        if item["subject"] not in SUBJECTS:
            problems["subject"] = [f"must be one of {', '.join(SUBJECTS)}"]
        if item["result"] not in CREDIT_RESULTS:
            problems["result"] = [f"must be one of {', '.join(CREDIT_RESULTS)}"]
    elif kind == "misconduct":
        if item["subject"] not in SUBJECTS:
            problems["subject"] = [f"must be one of {', '.join(SUBJECTS)}"]
    elif kind == "project_experience":
        if item["outcome"] not in EXPERIENCE_OUTCOMES:
            problems["outcome"] = [f"must be one of {', '.join(EXPERIENCE_OUTCOMES)}"]
    return problems


class Organization(Aggregate):
    @event("Registered")
    def __init__(
        self,
        name: str,
        credit_code: str,
        registration_type: str,
        legal_representative: str,
        project_lead: str,
        accountant: dict[str, Any],
        accounting_regime: str,
        has_financial_rules: bool,
        bank_account: dict[str, Any],
        registered_on: date,
    ):
        self.name = name
        self.credit_code = credit_code
        self.registration_type = registration_type
        self.legal_representative = legal_representative
        self.project_lead = project_lead
        self.accountant = dict(accountant)
        self.accounting_regime = accounting_regime
        self.has_financial_rules = has_financial_rules
        self.bank_account = dict(bank_account)
        self.registered_on = registered_on
        self.evidence: list[dict[str, Any]] = []
        self.bans: list[dict[str, Any]] = []

    @classmethod
    def register(cls, *, today: date, **details: Any) -> Organization:
        problems = registration_problems(details)
        if problems:
            raise GrantsRuleViolation(problems)
        return cls(
            registration_type=codes.registration_type(details["credit_code"]),
            registered_on=today,
            **details,
        )

    def submit_evidence(self, *, evidence_id: uuid.UUID, item: dict[str, Any], today: date) -> None:
        """A document the applicant (or the bureau) puts on file; it counts for
        nothing until the bureau verifies it against its source."""
        problems = evidence_problems(item, today)
        if problems:
            raise GrantsRuleViolation(problems)
        self._evidence_submitted(
            evidence_id=evidence_id,
            item={k: v for k, v in item.items() if v is not None},
            submitted_on=today,
        )

    @event("EvidenceSubmitted")
    def _evidence_submitted(self, evidence_id: uuid.UUID, item: dict[str, Any], submitted_on: date) -> None:
        self.evidence.append(
            {
                **item,
                "evidence_id": evidence_id,
                "recorded_on": submitted_on,
                "status": "submitted",
                "verification": None,
            }
        )

    @event("EvidenceRecorded")
    def _evidence_recorded(self, evidence_id: uuid.UUID, item: dict[str, Any], recorded_on: date) -> None:
        """Recorded before verification existed, by whoever could then: held as
        submitted, so it counts only once the bureau verifies it."""
        self.evidence.append(
            {
                **item,
                "evidence_id": evidence_id,
                "recorded_on": recorded_on,
                "status": "submitted",
                "verification": None,
            }
        )

    def verify_evidence(
        self, *, evidence_id: uuid.UUID, decision: str, source: str, verified_by: str, reason: str, today: date
    ) -> None:
        entry = next((e for e in self.evidence if e["evidence_id"] == evidence_id), None)
        if entry is None:
            raise GrantsRuleViolation({"evidence_id": ["no such evidence on this organisation"]})
        problems: dict[str, list[str]] = {}
        if entry["status"] != "submitted":
            problems["evidence_id"] = [f"was already {entry['status']}"]
        if decision not in VERIFICATION_DECISIONS:
            problems["decision"] = [f"must be one of {', '.join(VERIFICATION_DECISIONS)}"]
        if not source.strip():
            problems["source"] = ["name the source the evidence was checked against"]
        if decision == "rejected" and not reason.strip():
            problems["reason"] = ["say why the evidence is rejected"]
        if problems:
            raise GrantsRuleViolation(problems)
        self._evidence_verified(
            evidence_id=evidence_id,
            decision=decision,
            source=source,
            verified_by=verified_by,
            reason=reason,
            verified_on=today,
        )

    @event("EvidenceVerified")
    def _evidence_verified(
        self, evidence_id: uuid.UUID, decision: str, source: str, verified_by: str, reason: str, verified_on: date
    ) -> None:
        for entry in self.evidence:
            if entry["evidence_id"] == evidence_id:
                entry["status"] = decision
                entry["verification"] = {
                    "verified_by": verified_by,
                    "verified_on": verified_on,
                    "source": source,
                    "reason": reason or None,
                }

    def ban(self, *, reason: str, decided_on: date, source: str, source_id: uuid.UUID) -> None:
        if not reason.strip():
            raise GrantsRuleViolation({"reason": ["a ban needs a reason"]})
        self._banned(
            name=self.name,
            credit_code=self.credit_code,
            reason=reason,
            decided_on=decided_on,
            banned_until=ban_end(decided_on),
            source=source,
            source_id=source_id,
        )

    @event("Banned")
    def _banned(
        self,
        name: str,
        credit_code: str,
        reason: str,
        decided_on: date,
        banned_until: date,
        source: str,
        source_id: uuid.UUID,
    ) -> None:
        self.bans.append(
            {
                "reason": reason,
                "decided_on": decided_on,
                "banned_until": banned_until,
                "source": source,
                "source_id": source_id,
            }
        )

    def ban_on(self, day: date) -> dict[str, Any] | None:
        """The ban in force on `day`, if any."""
        for ban in self.bans:
            if ban["decided_on"] <= day < ban["banned_until"]:
                return ban
        return None


class CreditCodeClaim(Aggregate):
    """One per credit code: a second organization with the same code cannot be
    saved, even by a concurrent request."""

    @staticmethod
    def create_id(credit_code: str) -> uuid.UUID:
        return uuid.uuid5(CREDIT_CODE_NAMESPACE, credit_code)

    @event("Claimed")
    def __init__(self, credit_code: str, organisation_id: uuid.UUID):
        self.organisation_id = organisation_id
