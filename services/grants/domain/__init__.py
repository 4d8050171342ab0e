"""The grants domain: aggregates and their pure rules, one module per family.
Standard library, eventsourcing.domain, shared.attached_files, shared.errors
and shared.vocabulary only.

Event fields keep the names they were stored under (`organisation_id`,
`organisation_name`): they are part of the records, so the aggregates that
carry them keep them too."""

from services.grants.domain.attachments import OrganizationAttachments
from services.grants.domain.calls import Call
from services.grants.domain.contracts import Contract
from services.grants.domain.notices import PublicNotice
from services.grants.domain.organizations import CreditCodeClaim, Organization
from services.grants.domain.proposals import Proposal, ProposalClaim

__all__ = [
    "Call",
    "Contract",
    "CreditCodeClaim",
    "Organization",
    "OrganizationAttachments",
    "Proposal",
    "ProposalClaim",
    "PublicNotice",
]
