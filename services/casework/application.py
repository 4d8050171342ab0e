"""CaseworkApplication: the eventsourcing Application composing casework's use
cases (use_cases/), with the read models and the report fold they use."""

from __future__ import annotations

import threading

from eventsourcing.utils import register_topic, strtobool

from services.casework.domain import activities, care, cases, directors, funds, groups
from services.casework.domain.reports import QuarterlyFold
from services.casework.domain.roster import RosterChild
from services.casework.publishing import public_event
from services.casework.report_checkpoints import CheckpointStore, fingerprint
from services.casework.use_cases.cases import CaseUseCases
from services.casework.use_cases.community import CommunityUseCases
from services.casework.use_cases.directors import DirectorUseCases
from services.casework.use_cases.feeds import FeedUseCases
from services.casework.use_cases.reach import ReachUseCases
from services.casework.use_cases.reports import ReportUseCases
from services.casework.use_cases.roster import RosterUseCases
from services.casework.views import (
    CasesView,
    CommunityView,
    ContractAreasView,
    DirectorsView,
    RosterView,
    SupervisionsView,
)
from shared.config import contact_cadence
from shared.past_registers import PastRegisters

# Events stored before the domain/ package name their classes by the modules
# they were in then (e.g. services.casework.cases:Case.Opened); the roster child
# was in services.casework.domain, which is now the package itself.
MOVED_TOPICS = {
    "services.casework.activities": activities,
    "services.casework.care": care,
    "services.casework.cases": cases,
    "services.casework.directors": directors,
    "services.casework.funds": funds,
    "services.casework.groups": groups,
    "services.casework.domain:RosterChild": RosterChild,
}
for _old, _moved in MOVED_TOPICS.items():
    register_topic(_old, _moved)


class CaseworkApplication(
    RosterUseCases,
    CaseUseCases,
    CommunityUseCases,
    DirectorUseCases,
    FeedUseCases,
    ReportUseCases,
    ReachUseCases,
):
    name = "casework"
    public_events = staticmethod(public_event)

    def __init__(self, env=None):
        super().__init__(env)
        self.roster = RosterView(self)
        self.cases_view = CasesView(self)
        # CASEWORK_CASE_REVIEW_DAYS (or CASE_REVIEW_DAYS) in the environment.
        self.case_review_days = int(self.env.get("CASE_REVIEW_DAYS", str(cases.DEFAULT_REVIEW_DAYS)))
        self.community_view = CommunityView(self)
        self.directors_view = DirectorsView(self)
        self.supervisions_view = SupervisionsView(self)
        self.contract_areas = ContractAreasView(self)
        self.past = PastRegisters(self)
        # The contact cadence by tier: one setting with the registry's (CONTACT_CADENCE_DAYS).
        self.contact_cadence = contact_cadence()
        self._report_fold = QuarterlyFold(self.contact_cadence)
        self._checkpoints = {}
        self._stored_checkpoints = set()
        self.report_checkpoints = CheckpointStore(self, fingerprint(self.contact_cadence))
        if strtobool(self.env.get("CREATE_TABLE") or "yes"):
            self.report_checkpoints.create_table()
        self._report_lock = threading.Lock()
