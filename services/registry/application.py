"""The registry's eventsourcing Application: the use cases of every area
(services/registry/use_cases/), composed over RegistryBase, which this class
builds: the reference places, the contact cadence and the children read model."""

from __future__ import annotations

from eventsourcing.utils import register_topic

from services.registry.domain import places
from services.registry.domain.attachments import ChildAttachments  # noqa: F401 - its events are stored here
from services.registry.domain.campaigns import ScreeningCampaign
from services.registry.domain.child import Child
from services.registry.domain.dismissals import DuplicateDismissal
from services.registry.domain.id_number_claims import IdNumberClaim
from services.registry.publishing import public_event
from services.registry.use_cases.attachments import AttachmentUseCases
from services.registry.use_cases.campaigns import CampaignUseCases
from services.registry.use_cases.casework_feed import CaseworkFeedUseCases
from services.registry.use_cases.contacts import ContactUseCases
from services.registry.use_cases.corrections import CorrectionUseCases
from services.registry.use_cases.daily_rules import DailyRuleUseCases
from services.registry.use_cases.duplicates import DuplicateUseCases
from services.registry.use_cases.files import FileUseCases
from services.registry.use_cases.intake import IntakeUseCases
from services.registry.use_cases.past import PastRegisterUseCases
from services.registry.use_cases.roster import RosterUseCases
from services.registry.use_cases.transfers import TransferUseCases
from services.registry.views import ChildrenView
from shared.config import ConfigError, app_environment, contact_cadence
from shared.eventstore import CLAIM_KEY
from shared.past_registers import PastRegisters

# Development only (it is in the source, so it keys nothing secret): a store
# without CLAIM_KEY or CIPHER_KEY. Production refuses to run on it.
DEVELOPMENT_CLAIM_KEY = b"development claim key: not a secret"


def claim_key(configured: str | None) -> bytes:
    if configured:
        return configured.encode()
    if app_environment() == "production":
        raise ConfigError(
            "APP_ENV=production needs CLAIM_KEY (or CIPHER_KEY, from which it is derived) for the registry: "
            "claim ids derived from ID numbers are keyed with it. Never change it once set."
        )
    return DEVELOPMENT_CLAIM_KEY


# Records stored before the aggregates moved into the domain/ package name them
# by these topics; each also covers the aggregate's nested events.
for _old_topic, _aggregate in (
    ("services.registry.domain:Child", Child),
    ("services.registry.domain:IdNumberClaim", IdNumberClaim),
    ("services.registry.domain:DuplicateDismissal", DuplicateDismissal),
    ("services.registry.domain:ScreeningCampaign", ScreeningCampaign),
):
    register_topic(_old_topic, _aggregate)


class RegistryApplication(
    PastRegisterUseCases,
    RosterUseCases,
    IntakeUseCases,
    FileUseCases,
    CorrectionUseCases,
    ContactUseCases,
    TransferUseCases,
    DuplicateUseCases,
    CampaignUseCases,
    DailyRuleUseCases,
    CaseworkFeedUseCases,
    AttachmentUseCases,
):
    name = "registry"
    public_events = staticmethod(public_event)

    def __init__(self, env=None):
        super().__init__(env)
        self.places = places.load()
        # CONTACT_CADENCE_DAYS in the environment, shared with casework's report.
        self.cadence = contact_cadence()
        self.children = ChildrenView(self, self.cadence)
        self.past = PastRegisters(self)
        self.claim_key = claim_key(self.env.get(CLAIM_KEY))
