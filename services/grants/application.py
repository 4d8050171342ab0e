"""The grants application: its use cases composed over GrantsBase, the read
models they use, and the old topics of classes that moved, so records stored
before a move still load."""

from __future__ import annotations

from eventsourcing.utils import register_topic

from services.grants.domain import calls, contracts, notices, organizations
from services.grants.domain.organizations import Organization
from services.grants.domain.proposals import Proposal, ProposalClaim
from services.grants.publishing import public_event
from services.grants.use_cases.attachments import OrganizationAttachmentUseCases
from services.grants.use_cases.calls import CallUseCases
from services.grants.use_cases.contracts import ContractUseCases
from services.grants.use_cases.organizations import OrganizationUseCases
from services.grants.use_cases.selection import SelectionUseCases
from services.grants.views import GrantsViews
from shared import places
from shared.config import report_due_days

# Topic stored before the move (module, or module:class) -> where it is now.
# An aggregate's entry also covers its nested events.
MOVED_TOPICS = {
    "services.grants.applications:Application": Proposal,
    "services.grants.applications:ApplicationClaim": ProposalClaim,
    "services.grants.organisations:Organisation": Organization,
    "services.grants.organisations": organizations,  # CreditCodeClaim
    "services.grants.calls": calls,
    "services.grants.contracts": contracts,
    "services.grants.notices": notices,
}
for _old, _now in MOVED_TOPICS.items():
    register_topic(_old, _now)


class GrantsApplication(
    OrganizationUseCases, OrganizationAttachmentUseCases, CallUseCases, SelectionUseCases, ContractUseCases
):
    name = "grants"  # eventsourcing names each class after itself unless told: the store's name
    public_events = staticmethod(public_event)

    def __init__(self, env=None):
        super().__init__(env)
        self.views = GrantsViews(self)
        self.places = places.load()
        self.report_due_days = report_due_days()
