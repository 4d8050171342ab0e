"""The grants domain, split by job across modules; this names its aggregates.
Standard library and eventsourcing.domain only (every module listed here too)."""
from services.grants.applications import Application, ApplicationClaim
from services.grants.calls import Call
from services.grants.contracts import Contract
from services.grants.notices import PublicNotice
from services.grants.organisations import CreditCodeClaim, Organisation

DOMAIN_MODULES = (
    "applications", "calls", "contracts", "credit_code", "eligibility", "notices", "organisations",
)
__all__ = [
    "Application", "ApplicationClaim", "Call", "Contract", "CreditCodeClaim", "Organisation",
    "PublicNotice", "DOMAIN_MODULES",
]
