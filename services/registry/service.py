"""nameko entrypoints for the registry: load → one application call → dump."""

import logging

from nameko.timer import timer

from services.registry import schemas as s
from services.registry.application import RegistryApplication
from services.registry.exceptions import (
    AttachmentNotFound,
    CampaignNotFound,
    ChildNotFound,
    DismissalNotFound,
    DuplicateIdNumber,
    InvalidCampaign,
    InvalidChild,
    InvalidDismissal,
    PairAlreadyDismissed,
    RosterImportNotFound,
)
from shared import service_base
from shared.context import current_meta
from shared.entrypoints import event_handler, rpc
from shared.errors import ConcurrentChange, InvalidInput
from shared.nameko_deps import ConsumerFeed, ServiceStore
from shared.validation import load_or_refuse, parse_uuid, schema_of

log = logging.getLogger(__name__)

# The daily rules are idempotent, so checking hourly catches a new day within
# the hour on every replica without a scheduler of its own; it also runs at
# start-up, so days missed while the service was down are caught up.
DAILY_JOB_INTERVAL = 3600
CHANGE_ERRORS = (InvalidInput, InvalidChild, ChildNotFound, ConcurrentChange)


class RegistryService(service_base.EventSourcedService):
    name = "registry"
    store = ServiceStore(RegistryApplication)
    casework_feed = ConsumerFeed("casework", "handle_casework_event")

    @event_handler("casework", "#")
    def on_casework_event(self, message):
        self.casework_feed.receive(message)

    @timer(interval=DAILY_JOB_INTERVAL, eager=True)
    def daily_job(self):
        counts = self.store.run_daily()
        if any(counts.values()):
            log.info("daily registry rules applied: %s", counts)

    @rpc
    def run_daily(self):
        return schema_of(s.DailyRunSchema).dump(self.store.run_daily())

    # -- files ---------------------------------------------------------------------

    @rpc(expected_exceptions=(InvalidInput, InvalidChild, DuplicateIdNumber, CampaignNotFound, ConcurrentChange))
    @service_base.command
    def register_child(self, data):
        request = load_or_refuse(schema_of(s.RegisterChildRequest), data)
        child_id = self.store.register_child(**request)
        return schema_of(s.RegisteredChild).dump({"child_id": child_id})

    @rpc(expected_exceptions=(InvalidInput, ChildNotFound))
    def get_child(self, child_id, as_of=None):
        query = load_or_refuse(schema_of(s.ChildQuery), {} if as_of is None else {"as_of": as_of})
        found = self.store.get_child(parse_uuid(child_id, ChildNotFound), **query)
        return schema_of(s.ChildFile).dump(found)

    @rpc(expected_exceptions=(ChildNotFound,))
    def child_history(self, child_id):
        uid = parse_uuid(child_id, ChildNotFound)
        return schema_of(s.HistorySchema).dump({"child_id": uid, "changes": self.store.child_history(uid)})

    @rpc(expected_exceptions=CHANGE_ERRORS + (DuplicateIdNumber,))
    @service_base.command
    def correct_child(self, child_id, data):
        uid = parse_uuid(child_id, ChildNotFound)
        request = load_or_refuse(schema_of(s.CorrectionRequest), data)
        value = s.load_value(request["field"], request["value"])
        done = self.store.correct_child(uid, field=request["field"], value=value, reason=request["reason"])
        return schema_of(s.CorrectedSchema).dump(done)

    @rpc(expected_exceptions=CHANGE_ERRORS + (CampaignNotFound,))
    @service_base.command
    def record_visit(self, child_id, data):
        uid = parse_uuid(child_id, ChildNotFound)
        request = load_or_refuse(schema_of(s.VisitRequest), data)
        return schema_of(s.VisitRecordedSchema).dump(self.store.record_visit(uid, **request))

    @rpc(expected_exceptions=CHANGE_ERRORS)
    @service_base.command
    def assess_risk(self, child_id, data):
        uid = parse_uuid(child_id, ChildNotFound)
        request = load_or_refuse(schema_of(s.AssessmentRequest), data)
        return schema_of(s.AssessedSchema).dump(self.store.assess_risk(uid, **request))

    @rpc(expected_exceptions=CHANGE_ERRORS)
    @service_base.command
    def transfer_out(self, child_id, data):
        uid = parse_uuid(child_id, ChildNotFound)
        request = load_or_refuse(schema_of(s.TransferRequest), data)
        return schema_of(s.TransferredSchema).dump(self.store.transfer_out(uid, **request))

    @rpc(expected_exceptions=CHANGE_ERRORS)
    @service_base.command
    def merge_files(self, survivor_id, data):
        uid = parse_uuid(survivor_id, ChildNotFound)
        request = load_or_refuse(schema_of(s.MergeRequest), data)
        return schema_of(s.MergedSchema).dump(self.store.merge_files(survivor_id=uid, **request))

    # -- a roster file's import (issue 17) ----------------------------------------------------

    @rpc(expected_exceptions=(InvalidInput,))
    def check_roster_rows(self, data):
        """Each row's problems by the rules of POST /children; nothing is stored."""
        request = load_or_refuse(schema_of(s.RosterCheckRequest), data)
        loaded, refused = s.roster_rows(request["rows"])
        checked = self.store.check_roster_rows(loaded)
        rows = [
            {"row": r["row"], "problems": refused.get(r["row"]) or checked.get(r["row"], [])} for r in request["rows"]
        ]
        return schema_of(s.RosterCheck).dump({"rows": rows})

    @rpc(expected_exceptions=(InvalidInput, ConcurrentChange))
    @service_base.command
    def start_roster_import(self, data):
        """The import of a roster file (by its SHA-256): new, or the one begun before."""
        request = load_or_refuse(schema_of(s.RosterStartRequest), data)
        started = self.store.start_roster_import(**request, started_by=current_meta().actor_id)
        return schema_of(s.RosterProgress).dump(started)

    @rpc(expected_exceptions=(InvalidInput, RosterImportNotFound, ConcurrentChange))
    @service_base.command
    def import_roster_batch(self, import_id, data):
        uid = parse_uuid(import_id, RosterImportNotFound)
        request = load_or_refuse(schema_of(s.RosterBatchRequest), data)
        loaded, refused = s.roster_rows(request["rows"])
        for entry in request["refused"]:
            refused[entry["row"]] = entry["problems"]
        return schema_of(s.RosterProgress).dump(self.store.import_roster_batch(uid, loaded, refused))

    @rpc(expected_exceptions=(RosterImportNotFound,))
    def get_roster_import(self, import_id):
        return schema_of(s.RosterProgress).dump(self.store.roster_import(parse_uuid(import_id, RosterImportNotFound)))

    # -- attachments (the bytes are in the attachment store; shared/attachments.py) ---------

    @rpc(expected_exceptions=CHANGE_ERRORS)
    @service_base.command
    def attach_file(self, child_id, data):
        uid = parse_uuid(child_id, ChildNotFound)
        request = load_or_refuse(schema_of(s.AttachFileRequest), data)
        return schema_of(s.AttachmentSchema).dump(self.store.attach_file(uid, **request))

    @rpc(expected_exceptions=(ChildNotFound,))
    def list_attachments(self, child_id):
        uid = parse_uuid(child_id, ChildNotFound)
        return schema_of(s.AttachmentList).dump(self.store.list_attachments(uid))

    @rpc(expected_exceptions=(ChildNotFound, AttachmentNotFound))
    def get_attachment(self, child_id, attachment_id):
        uid = parse_uuid(child_id, ChildNotFound)
        return schema_of(s.AttachmentSchema).dump(
            self.store.get_attachment(uid, parse_uuid(attachment_id, AttachmentNotFound))
        )

    # -- duplicate candidates found not to match -------------------------------------------

    @rpc(expected_exceptions=(InvalidInput, InvalidDismissal, ChildNotFound, PairAlreadyDismissed, ConcurrentChange))
    @service_base.command
    def dismiss_duplicate(self, data):
        request = load_or_refuse(schema_of(s.DismissalRequest), data)
        return schema_of(s.DismissalSchema).dump(self.store.dismiss_duplicate(**request))

    @rpc(expected_exceptions=(InvalidInput, InvalidDismissal, DismissalNotFound, ConcurrentChange))
    @service_base.command
    def withdraw_dismissal(self, dismissal_id, data):
        uid = parse_uuid(dismissal_id, DismissalNotFound)
        request = load_or_refuse(schema_of(s.DismissalWithdrawalRequest), data)
        return schema_of(s.DismissalSchema).dump(self.store.withdraw_dismissal(uid, **request))

    @rpc(expected_exceptions=(InvalidInput,))
    def list_dismissals(self, params=None):
        query = load_or_refuse(schema_of(s.PageQuery), params or {})
        return schema_of(s.DismissalPage).dump(self.store.list_dismissals(**query))

    # -- lists -----------------------------------------------------------------------

    @rpc(expected_exceptions=(InvalidInput,))
    def list_children(self, params=None):
        query = load_or_refuse(schema_of(s.ChildListQuery), params or {})
        return schema_of(s.ChildPage).dump(self.store.list_children(**query))

    @rpc(expected_exceptions=(InvalidInput,))
    def list_visits(self, params=None):
        query = load_or_refuse(s.VisitListQuery(), params or {})
        return s.VisitPage().dump(self.store.list_visits(**query))

    @rpc(expected_exceptions=(InvalidInput,))
    def overdue_contacts(self, params=None):
        query = load_or_refuse(schema_of(s.OverdueQuery), params or {})
        return schema_of(s.OverduePage).dump(self.store.overdue_contacts(**query))

    @rpc(expected_exceptions=(InvalidInput,))
    def contacts_due(self, params=None):
        """Assessed files and when each is next due a contact (GET /me/tasks)."""
        query = load_or_refuse(s.ContactsDueQuery(), params or {})
        return s.ContactDueSchema(many=True).dump(self.store.contacts_due(**query))

    @rpc(expected_exceptions=(InvalidInput,))
    def duplicates(self, params=None):
        query = load_or_refuse(schema_of(s.DuplicatesQuery), params or {})
        return schema_of(s.DuplicatePage).dump(self.store.duplicates(**query))

    @rpc
    def statistics(self):
        return schema_of(s.StatisticsSchema).dump(self.store.statistics())

    # -- screening campaigns ---------------------------------------------------------------

    @rpc(expected_exceptions=(InvalidInput, InvalidCampaign))
    @service_base.command
    def plan_campaign(self, data):
        request = load_or_refuse(schema_of(s.CampaignRequest), data)
        return schema_of(s.CampaignCreated).dump({"campaign_id": self.store.plan_campaign(**request)})

    @rpc(expected_exceptions=(InvalidInput,))
    def list_campaigns(self, params=None):
        query = load_or_refuse(schema_of(s.CampaignListQuery), params or {})
        return schema_of(s.CampaignPage).dump(self.store.list_campaigns(**query))

    @rpc(expected_exceptions=(CampaignNotFound,))
    def campaign_coverage(self, campaign_id):
        uid = parse_uuid(campaign_id, CampaignNotFound)
        return schema_of(s.CoverageSchema).dump(self.store.campaign_coverage(uid))
