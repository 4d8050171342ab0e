"""Registry use cases: primitives in, primitives out."""
from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any, Callable, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.registry import help_records, history
from services.registry import places as place_list
from services.registry.domain import (
    ACTIVE, MERGED, Child, DuplicateDismissal, IdNumberClaim, ScreeningCampaign,
)
from services.registry.exceptions import (
    CampaignNotFound, ChildNotFound, ConcurrentChange, DismissalNotFound, DuplicateIdNumber, InvalidChild,
)
from services.registry.publishing import public_event
from services.registry.views import ChildrenView, contact_due
from shared.clock import programme_today
from shared.errors import NotFound
from shared.eventstore import ServiceApplication

log = logging.getLogger(__name__)

DEFAULT_CADENCE = "7,30,90"
RETRIES = 3
T = TypeVar("T")
MAX_MERGE_CHAIN = 20


def parse_cadence(text: str) -> dict[int, int]:
    """"7,30,90" → contact every 7 days at tier 1, 30 at tier 2, 90 at tier 3."""
    days = [int(part) for part in text.split(",")]
    if len(days) != 3 or min(days) < 1:
        raise ValueError(f"contact cadence must be three positive day counts, not {text!r}")
    return {1: days[0], 2: days[1], 3: days[2]}


class RegistryApplication(ServiceApplication):
    name = "registry"
    public_events = staticmethod(public_event)
    clock: Callable[[], date] = staticmethod(programme_today)

    def __init__(self, env=None):
        super().__init__(env)
        self.places = place_list.load()
        # REGISTRY_CONTACT_CADENCE_DAYS (or CONTACT_CADENCE_DAYS) in the environment.
        self.cadence = parse_cadence(self.env.get("CONTACT_CADENCE_DAYS", DEFAULT_CADENCE))
        self.children = ChildrenView(self, self.cadence)

    # -- intake ----------------------------------------------------------------------

    def register_child(self, *, id_number: str | None = None, campaign_id: UUID | None = None, **details) -> UUID:
        today = self.clock()
        child = Child.register(
            today=today, places=self.places, id_number=id_number, campaign_id=campaign_id, **details,
        )
        if campaign_id is not None:
            self._require_campaign_covers(campaign_id, child, today)
        if id_number is None:
            self.save(child)
            return child.id
        claim = self._claim(id_number, child.id)
        try:
            self.save(child, claim)
        except IntegrityError:
            # Lost a race with a concurrent registration of the same number.
            self._claim(id_number, child.id)
            raise
        return child.id

    def _claim(self, id_number: str, child_id: UUID) -> IdNumberClaim:
        """A claim on the number for this child, or DuplicateIdNumber."""
        try:
            claim: IdNumberClaim = self.repository.get(IdNumberClaim.create_id(id_number))
        except AggregateNotFoundError:
            return IdNumberClaim(id_number=id_number, child_id=child_id)
        if claim.child_id is not None:
            raise DuplicateIdNumber(claim.child_id)
        claim.reclaim(child_id)
        return claim

    def _require_campaign_covers(self, campaign_id: UUID, child: Child, on: date) -> None:
        campaign = self._campaign(campaign_id)
        if not campaign.covers(child.town, child.village):
            raise InvalidChild({"campaign_id": [f"the campaign does not target {child.town} {child.village}"]})
        if not campaign.starts_on <= on <= campaign.ends_on:
            raise InvalidChild({"campaign_id": [
                f"the campaign runs {campaign.starts_on} to {campaign.ends_on}, not on {on}"]})

    # -- reading a file -------------------------------------------------------------------

    def _load(self, kind: type[T], record_id: UUID, not_found: type[NotFound], version: int | None = None) -> T:
        try:
            found = self.repository.get(record_id, version=version)
        except AggregateNotFoundError:
            raise not_found(record_id) from None
        if not isinstance(found, kind):
            raise not_found(record_id)
        return found

    def _child(self, child_id: UUID, version: int | None = None) -> Child:
        return self._load(Child, child_id, ChildNotFound, version)

    def _saved(self, record_id: UUID, attempt: Callable[[], tuple[T, list[Any]]]) -> T:
        """Run `attempt` (load, change: it returns the answer and what to save)
        and save; on a concurrent change, redo it on the new state (its checks
        run again)."""
        for _ in range(RETRIES):
            answer, changed = attempt()
            try:
                self.save(*changed)
                return answer
            except IntegrityError:
                continue
        raise ConcurrentChange(record_id)

    def get_child(self, child_id: UUID, as_of: datetime | None = None) -> dict[str, Any]:
        """The file now (a merged-away id gives the surviving file), or as it
        stood at `as_of` (ChildNotFound if it did not exist then)."""
        if as_of is not None:
            version = history.version_at(self, child_id, as_of)
            if version is None:
                raise ChildNotFound(child_id)
            return self._file(self._child(child_id, version))
        child = self._child(child_id)
        for _ in range(MAX_MERGE_CHAIN):
            if child.status != MERGED:
                break
            child = self._child(child.merged_into)
        return self._file(child)

    def _file(self, child: Child) -> dict[str, Any]:
        last = child.last_contact
        risk = child.risk
        return {
            "child_id": child.id, **child.facts(),
            "without_household_registration": child.without_household_registration,
            "pending_facts": child.pending_facts,
            "registered_on": child.registered_on, "campaign_id": child.campaign_id,
            "status": child.status, "closed_on": child.closed_on, "transferred_to": child.transferred_to,
            "merged_into": child.merged_into, "merged_from": list(child.absorbed),
            "risk": None if risk is None else {
                **risk, "next_contact_due": contact_due(
                    last and last["visited_on"], risk["assessed_on"], self.cadence[risk["level"]]),
            },
            "last_contact_on": last and last["visited_on"],
            "visits": list(child.visits), "help_records": list(child.help_records),
            "version": child.version, "created_on": child.created_on, "modified_on": child.modified_on,
        }

    def child_history(self, child_id: UUID) -> list[dict[str, Any]]:
        self._child(child_id)
        return history.changes(self, child_id)

    # -- changing a file -------------------------------------------------------------------

    def _update(self, child_id: UUID, change: Callable[[Child], list[Any]]) -> Child:
        """Load, change, save the file and what `change` returns, with retries."""
        def attempt():
            child = self._child(child_id)
            return child, [child, *change(child)]
        return self._saved(child_id, attempt)

    def correct_child(self, child_id: UUID, *, field: str, value: Any, reason: str) -> dict[str, Any]:
        today = self.clock()

        def change(child: Child) -> list[Any]:
            old = getattr(child, field, None)
            child.correct(field=field, value=value, reason=reason, today=today, places=self.places)
            if field != "id_number":
                return []
            claims = [] if value is None else [self._claim(value, child.id)]
            if old is not None:
                previous: IdNumberClaim = self.repository.get(IdNumberClaim.create_id(old))
                previous.release()
                claims.append(previous)
            return claims

        child = self._update(child_id, change)
        return {"child_id": child.id, "version": child.version}

    def record_visit(
        self, child_id: UUID, *, visited_on: date, visitor: str, findings: str,
        follow_up: str | None = None, campaign_id: UUID | None = None, household: str | None = None,
    ) -> dict[str, Any]:
        today = self.clock()
        visit_id = uuid.uuid4()

        def change(child: Child) -> list[Any]:
            if campaign_id is not None:
                campaign = self._campaign(campaign_id)
                if not campaign.covers(child.town, child.village):
                    raise InvalidChild({"campaign_id": [
                        f"the campaign does not target {child.town} {child.village}"]})
                if not campaign.starts_on <= visited_on <= campaign.ends_on:
                    raise InvalidChild({"visited_on": [
                        f"the campaign runs {campaign.starts_on} to {campaign.ends_on}"]})
            child.record_visit(
                visit_id=visit_id, visited_on=visited_on, visitor=visitor, findings=findings,
                follow_up=follow_up, campaign_id=campaign_id, household=household, today=today,
            )
            return []

        self._update(child_id, change)
        return {"child_id": child_id, "visit_id": visit_id}

    def assess_risk(
        self, child_id: UUID, *, level: int, reasons: list[str], assessed_on: date | None = None,
    ) -> dict[str, Any]:
        today = self.clock()
        on = assessed_on or today

        def change(child: Child) -> list[Any]:
            last = child.last_contact
            due = contact_due(last and last["visited_on"], on, self.cadence.get(level, 0))
            child.assess_risk(level=level, reasons=reasons, assessed_on=on, next_contact_due=due, today=today)
            return []

        child = self._update(child_id, change)
        return {"child_id": child.id, **child.risk}

    def transfer_out(
        self, child_id: UUID, *, destination: str, reason: str, transferred_on: date | None = None,
    ) -> dict[str, Any]:
        today = self.clock()
        on = transferred_on or today
        child = self._update(child_id, lambda c: c.transfer_out(
            destination=destination, reason=reason, transferred_on=on, today=today) or [])
        return {"child_id": child.id, "status": child.status, "closed_on": child.closed_on}

    def merge_files(self, *, survivor_id: UUID, merged_id: UUID, reason: str) -> dict[str, Any]:
        today = self.clock()
        def attempt():
            survivor, merged = self._child(survivor_id), self._child(merged_id)
            merged.merge_into(survivor=survivor, reason=reason, today=today)
            return {"survivor_id": survivor.id, "merged_id": merged.id, "merged_on": today}, [merged, survivor]
        return self._saved(merged_id, attempt)

    # -- duplicate candidates found not to match -----------------------------------------

    def dismiss_duplicate(self, *, first_id: UUID, second_id: UUID, reason: str) -> dict[str, Any]:
        """Record that two candidate files are not the same child: the pair
        leaves the duplicates list until the dismissal is withdrawn."""
        today = self.clock()
        dismissal_id = DuplicateDismissal.create_id(first_id, second_id)

        def attempt():  # dismissed concurrently: the next round answers 409
            first, second = self._child(first_id), self._child(second_id)
            try:
                dismissal = self._dismissal(dismissal_id)
            except DismissalNotFound:
                dismissal = DuplicateDismissal.dismiss(first=first, second=second, reason=reason, today=today)
            else:
                dismissal.dismiss_again(first=first, second=second, reason=reason, today=today)
            return self._dismissal_answer(dismissal), [dismissal]
        return self._saved(dismissal_id, attempt)

    def withdraw_dismissal(self, dismissal_id: UUID, *, reason: str) -> dict[str, Any]:
        """The pair is a candidate again (listed if it still matches)."""
        today = self.clock()

        def attempt():
            dismissal = self._dismissal(dismissal_id)
            dismissal.withdraw(reason=reason, today=today)
            return self._dismissal_answer(dismissal), [dismissal]
        return self._saved(dismissal_id, attempt)

    def _dismissal(self, dismissal_id: UUID) -> DuplicateDismissal:
        return self._load(DuplicateDismissal, dismissal_id, DismissalNotFound)

    @staticmethod
    def _dismissal_answer(dismissal: DuplicateDismissal) -> dict[str, Any]:
        return {
            "dismissal_id": dismissal.id, "first_id": dismissal.first_id, "second_id": dismissal.second_id,
            "standing": dismissal.standing, "reason": dismissal.reason, "dismissed_on": dismissal.dismissed_on,
            "withdrawn_on": dismissal.withdrawn_on, "version": dismissal.version,
        }

    def list_dismissals(self, *, limit: int, cursor: str | None = None) -> dict[str, Any]:
        return self.children.list_dismissals(limit=limit, cursor=cursor)

    # -- the daily job ------------------------------------------------------------------------

    def run_daily(self) -> dict[str, int]:
        """Apply the time-driven rules for the clock's today. Idempotent; a file
        changed concurrently is left for the next run."""
        today = self.clock()
        counts = {"left_behind_ended": 0, "aged_out": 0}
        for key in self.children.due_for_time_rules(today):
            child = self._child(UUID(key))
            child.pass_time(today)
            pending = child.collect_events()
            if not pending:
                continue
            try:
                self.save(*pending)
            except IntegrityError:
                log.info("child %s changed during the daily job; next run will see it", key)
                continue
            for domain_event in pending:
                if isinstance(domain_event, Child.LeftBehindEnded):
                    counts["left_behind_ended"] += 1
                elif isinstance(domain_event, Child.AgedOut):
                    counts["aged_out"] += 1
        return counts

    # -- help records from casework -------------------------------------------------------------

    def handle_casework_event(self, envelope: dict[str, Any]) -> list[Any]:
        """Effects of one casework event: a help record on each child it concerns
        (saved with the tracking row by the consumer)."""
        children = []
        for child_id in help_records.children_concerned(envelope):
            try:
                child = self._child(child_id)
                for _ in range(MAX_MERGE_CHAIN):
                    if child.status != MERGED:
                        break
                    child = self._child(child.merged_into)
            except ChildNotFound:
                log.warning("casework event %s names unknown child %s", envelope["event_id"], child_id)
                continue
            if any(c.id == child.id for c in children):
                continue
            child.record_help(help_records.help_record(envelope))
            children.append(child)
        return children

    # -- screening campaigns ----------------------------------------------------------------------

    def plan_campaign(self, *, name: str, starts_on: date, ends_on: date, targets: list[dict]) -> UUID:
        campaign = ScreeningCampaign.plan(
            name=name, starts_on=starts_on, ends_on=ends_on, targets=targets,
            today=self.clock(), places=self.places,
        )
        self.save(campaign)
        return campaign.id

    def _campaign(self, campaign_id: UUID) -> ScreeningCampaign:
        return self._load(ScreeningCampaign, campaign_id, CampaignNotFound)

    def campaign_coverage(self, campaign_id: UUID) -> dict[str, Any]:
        found = self.children.coverage(campaign_id)
        if found is None:
            raise CampaignNotFound(campaign_id)
        return found

    def list_campaigns(self, *, limit: int, cursor: str | None = None) -> dict[str, Any]:
        return self.children.list_campaigns(limit=limit, cursor=cursor)

    # -- lists ----------------------------------------------------------------------------------

    def list_children(self, *, limit: int, cursor: str | None = None, **filters) -> dict[str, Any]:
        return self.children.list_children(limit=limit, cursor=cursor, **filters)

    def overdue_contacts(self, *, limit: int, cursor: str | None = None, **filters) -> dict[str, Any]:
        return self.children.overdue_contacts(today=self.clock(), limit=limit, cursor=cursor, **filters)

    def duplicates(self, *, min_score: float, limit: int, cursor: str | None = None) -> dict[str, Any]:
        return self.children.duplicates(min_score=min_score, limit=limit, cursor=cursor)

    def statistics(self) -> dict[str, Any]:
        return self.children.statistics()
