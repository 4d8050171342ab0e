"""The consumer side of integration events: each upstream event takes effect
exactly once, in order, and nothing is missed.

- Only genuine events: an envelope must carry its source's signature (checked
  before anything else), and a second envelope for a position already taken,
  saying something else, is refused. Refusals are recorded and shown in health.
- Effects and a tracking row (upstream, notification id) commit together, so a
  redelivered or republished event finds its id already tracked and does nothing.
- Every envelope names the previous public notification of its source. If that
  is not where this consumer stands, something was lost or is still in flight:
  the consumer pulls the missing range from the upstream by RPC, in order.
- The same pull runs at start-up and on a timer, so an event lost after the last
  one ever sent is still found. A pull takes one page at a time and moves the
  position past the private notifications it scanned, so the next starts there.
- Events with nothing public between them (pushed ones that follow on, or a
  pulled page) are applied as a run: one transaction, one tracking row, taken
  only if the feed still stands where the run began (shared/tracking_guard.py);
  otherwise the run is applied event by event, each finding whether it was
  applied already.
- A poison event (genuine, but undecodable here or its handler fails) is parked
  and the feed goes on; later events of the same record wait behind it. An
  operator has it retried or skips it with a reason (scripts/feeds).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError, PersistenceError, Tracking
from marshmallow import ValidationError

from shared import envelope
from shared.context import CallMeta, acting_as
from shared.eventstore import ServiceApplication, StagedSave
from shared.feed_ledger import FeedLedger
from shared.signing import ForgedEnvelope, Verifier
from shared.tracking_guard import ensure_tracking_row

log = logging.getLogger(__name__)

# Returns the aggregates whose new events are this envelope's effect (maybe none).
Handler = Callable[[dict[str, Any]], Sequence[Any]]
# Pulls (envelopes, last notification id scanned) after a position from the upstream.
Pull = Callable[[int, int], "tuple[list[dict[str, Any]], int]"]

APPLIED, DUPLICATE, REJECTED, PARKED = "applied", "duplicate", "rejected", "parked"
MAX_CONFLICT_RETRIES = 5
# Upstream events heard of and not yet applied whose time is kept for the lag in
# seconds: the oldest ones (the lag is the oldest's age), so a backlog costs no more.
HEARD_KEPT = 10_000


def follows(message: Mapping[str, Any], position: int) -> bool:
    """Nothing public lies between `position` and this envelope: it names the
    public event before it, and we stand there or past it (private ones scanned)."""
    previous = message.get("previous_notification_id")
    return previous is not None and previous <= position < message["notification_id"]


def meta_of(received: Mapping[str, Any]) -> CallMeta:
    """Who the effects of an upstream event are recorded as acting for."""
    return CallMeta(
        actor_id=received["actor"]["id"],
        actor_role=received["actor"]["role"],
        correlation_id=received["correlation_id"],
        causation_id=str(received["event_id"]),
    )


class Consumer:
    def __init__(
        self,
        app: ServiceApplication,
        upstream: str,
        handle: Handler,
        pull: Pull,
        verifier: Verifier,
        ledger: FeedLedger,
        pull_limit: int = 500,
    ):
        self.app = app
        self.upstream = upstream
        self.handle = handle
        self.pull = pull
        self.verifier = verifier
        self.ledger = ledger
        self.pull_limit = pull_limit
        # The highest upstream public notification id this consumer has heard
        # of (pushed or pulled): its lag is this minus its position
        # (shared/metrics.py).
        self.source_head = 0
        # Positions heard of beyond ours, and when each event occurred at its source.
        self._heard_at: dict[int, str] = {}
        self._forgotten_through = 0
        # Where this consumer's own last run left the feed, as it recorded it
        # (None: ask the store). See `_standing`.
        self._recorded: int | None = None

    @property
    def position(self) -> int:
        return self.app.tracked_position(self.upstream)

    def _heard(self, messages: Iterable[Mapping[str, Any]], position: int) -> None:
        """Note what the source has published (as of `position`, ours): its
        head, and when each event beyond our position occurred."""
        for message in messages:
            notification_id = message["notification_id"]
            self.source_head = max(self.source_head, notification_id)
            if notification_id <= position:
                continue
            if len(self._heard_at) >= HEARD_KEPT:
                self._forget_through(position)  # also without scrapes, what is applied is forgotten
            if len(self._heard_at) < HEARD_KEPT:
                self._heard_at.setdefault(notification_id, str(message.get("occurred_at", "")))

    def _forget_through(self, position: int) -> None:
        if position <= self._forgotten_through:
            return  # nothing applied since the last look: no scan
        self._forgotten_through = position
        for done in [n for n in self._heard_at if n <= position]:
            del self._heard_at[done]

    def lag_seconds(self, now: datetime | None = None) -> float | None:
        """How long ago the oldest upstream event heard of and not yet applied
        occurred at its source (by the source's clock): 0 when this consumer
        stands at the highest position it has heard of; None if that event's
        time is not known (heard of while more than HEARD_KEPT were waiting)."""
        position = self.position
        self._forget_through(position)
        if position >= self.source_head:
            return 0.0
        if not self._heard_at:
            return None
        try:
            occurred = datetime.fromisoformat(self._heard_at[min(self._heard_at)])
        except ValueError:
            return None
        return max(((now or datetime.now(UTC)) - occurred).total_seconds(), 0.0)

    def _standing(self) -> int:
        """Where the feed stands, for taking in the next events: what this
        consumer's own last run recorded, else the store's. A replica may have
        moved the feed since; nothing relies on this being current, because a
        run is recorded only if the feed still stands where it began
        (shared/tracking_guard.py), and one refused is applied event by event,
        each asking the store whether it was applied (`apply`)."""
        if self._recorded is not None:
            return self._recorded
        return self.position

    def receive(self, message: Any) -> str:
        """Handle one pushed message; fills any gap before it first."""
        if not self._genuine(message):
            return REJECTED
        notification_id = message["notification_id"]
        position = self._standing()
        self._heard([message], position)
        if notification_id <= position:
            return self._again(message)
        if not follows(message, position):
            self.catch_up(until=notification_id - 1)
        return self.take(message)

    def take_pushed(self, messages: Sequence[Any]) -> tuple[int, list[dict[str, Any]]]:
        """Take in pushed messages in notification order: each run of those that
        follow on from our position is applied in one transaction, without a pull.
        Returns how many were applied, and the envelopes from the first one whose
        predecessors are missing on (pull those first, then offer them again)."""
        ordered = sorted((m for m in messages if self._genuine(m)), key=lambda m: m["notification_id"])
        applied = 0
        run: list[dict[str, Any]] = []
        position = self._standing()
        self._heard(ordered, position)
        for index, message in enumerate(ordered):
            head = run[-1]["notification_id"] if run else position
            if message["notification_id"] <= head:
                applied += self._apply_run(run, position)
                run = []
                if self._again(message) == APPLIED:
                    applied += 1
                position = self._standing()
                continue
            if not follows(message, head):
                return applied + self._apply_run(run, position), ordered[index:]
            run.append(message)
            if len(run) >= self.pull_limit:
                applied += self._apply_run(run, position)
                run = []
                position = self._standing()
        return applied + self._apply_run(run, position), []

    def catch_up(self, until: int | None = None) -> int:
        """Pull and apply everything after our position (up to `until`)."""
        applied, more = self.catch_up_once(until)
        while more:
            page, more = self.catch_up_once(until)
            applied += page
        return applied

    def catch_up_once(self, until: int | None = None) -> tuple[int, bool]:
        """Pull one page after our position and apply it (up to `until`) in one
        transaction, moving our position past the private notifications scanned
        too, so that the next pull starts there. Returns how many were applied
        and whether there may be more to pull."""
        position = self._standing()
        if until is not None and position >= until:
            return 0, False
        messages, last_scanned = self.pull(position, self.pull_limit)
        for message in messages:
            if not self._genuine(message):
                raise ForgedEnvelope(f"{self.upstream} answered a pull with an envelope that is not genuine")
        self._heard(messages, position)  # public events only: the scan also passes the source's private ones
        if last_scanned <= position:
            return 0, False
        upto = last_scanned if until is None else min(until, last_scanned)
        wanted = [m for m in messages if position < m["notification_id"] <= upto]
        applied = self._apply_run(wanted, position, upto)
        return applied, until is None or last_scanned < until

    def _apply_run(self, messages: Sequence[dict[str, Any]], start: int, upto: int | None = None) -> int:
        """Apply genuine envelopes with nothing public between them (and none
        between `start`, our position, and the first) in one transaction with one
        tracking row, at the last one's position or at `upto` if later. One that
        cannot simply be applied (refused, parked, or its handler fails) is taken
        by itself (`take`) once what came before it is recorded."""
        if not messages and (upto is None or upto <= start):
            return 0
        claims = self.ledger.claim_many(
            self.upstream, {m["notification_id"]: envelope.content_digest(m) for m in messages}
        )
        parked, blockers = self.ledger.parked_since(self.upstream, start)
        applied = 0
        run = StagedSave(self.app, checks_store=False)
        done: list[dict[str, Any]] = []
        for message in messages:
            notification_id = message["notification_id"]
            blocker = blockers.get(str(message.get("originator_id")))
            if (
                claims[notification_id] == envelope.content_digest(message)
                and notification_id not in parked
                and (blocker is None or blocker > notification_id)
                and self._stage(message, run)
            ):
                done.append(message)
                continue
            applied += self._record_run(run, done, start)
            if self.take(message) == APPLIED:
                applied += 1
            start = self._standing()
            parked, blockers = self.ledger.parked_since(self.upstream, start)
            run, done = StagedSave(self.app, checks_store=False), []
        return applied + self._record_run(run, done, start, upto)

    def _stage(self, message: dict[str, Any], run: StagedSave) -> bool:
        """Hold back the effects of one envelope in `run` (reading what the run
        holds back); False if it cannot be decoded or its handler fails."""
        try:
            received = envelope.load(message)
        except ValidationError:
            return False
        meta = meta_of(received)
        try:
            with acting_as(meta), self.app.staged(within=run, checks_store=False) as one:
                self.app.save(*self.handle(received))
        except PersistenceError:
            raise
        except Exception:  # noqa: BLE001 - taken by itself, where the failure parks it
            return False
        run.add(one.processing, meta)
        return True

    def _record_run(self, run: StagedSave, done: list[dict[str, Any]], start: int, upto: int | None = None) -> int:
        """Record a staged run with one tracking row, if the feed still stands at
        `start`; if it moved meanwhile (another replica), apply the run's events
        one by one instead: each then finds whether it was applied already."""
        last = done[-1]["notification_id"] if done else start
        target = max(last, upto or 0)
        if target <= start:
            return 0
        if start == 0:
            ensure_tracking_row(self.app.recorder, self.upstream)
        self._recorded = None  # until this run is known to be recorded
        try:
            self.app.save_run(run, Tracking(self.upstream, target), start)
            self._recorded = target
            return len(done)
        except IntegrityError:
            if done:
                log.info("%s moved past %d meanwhile: applying %d events one by one", self.upstream, start, len(done))
            return sum(1 for message in done if self.take(message) == APPLIED)

    def take(self, message: Mapping[str, Any], late: bool = False) -> str:
        """Take in one genuine envelope: refuse it if its position already says
        something else, park it if it cannot be taken in, else apply it."""
        notification_id = message["notification_id"]
        originator_id = str(message.get("originator_id"))
        digest = envelope.content_digest(message)
        if self.ledger.claim(self.upstream, notification_id, digest) != digest:
            return self._conflict(message)
        if self.ledger.find(self.upstream, notification_id) is not None:
            return DUPLICATE  # parked earlier: only an operator's retry takes it in now
        blocker = self.ledger.blocker(self.upstream, originator_id, notification_id)
        if blocker is not None:
            self._park(message, f"waits for parked notification {blocker} of the same record", held=True)
            return PARKED
        try:
            received = envelope.load(message)
        except ValidationError as error:
            self._park(message, f"undecodable: {error.messages}")
            return PARKED
        try:
            return self.apply(received, late=late)
        except PersistenceError:
            raise  # the store itself failed: retry later, park nothing
        except Exception as error:  # noqa: BLE001 - any other failure of the handler is this event's
            self._park(message, f"{type(error).__name__}: {error}")
            return PARKED

    def apply(self, received: dict[str, Any], late: bool = False) -> str:
        notification_id = received["notification_id"]
        meta = meta_of(received)
        # Tracking only moves forward, so an event taken after later ones (released
        # by its source, or retried here) is tracked under a name of its own.
        tracked_as = f"{self.upstream}/late/{notification_id}" if late else self.upstream
        self._recorded = None  # moved (or not) by this event alone: ask the store next time
        for _ in range(MAX_CONFLICT_RETRIES):
            if self.app.tracked_position(tracked_as) >= notification_id:
                return DUPLICATE
            try:
                with acting_as(meta):
                    effects = self.handle(received)
                    self.app.save_tracked(Tracking(tracked_as, notification_id), *effects)
                return APPLIED
            except IntegrityError:
                # Either another replica applied it (tracked now), or our own
                # aggregate moved under us; the loop re-checks and retries.
                continue
        raise RuntimeError(
            f"could not apply {self.upstream} notification {notification_id} after {MAX_CONFLICT_RETRIES} conflicts"
        )

    def retry_due(self) -> int:
        """Take in the parked events an operator asked to retry (and those that
        waited behind a resolved one), in order; returns how many were applied."""
        applied = 0
        progressed = True
        while progressed:
            progressed = False
            for parked in self.ledger.open_events(self.upstream):
                if parked.status != "retry" or parked.envelope is None:
                    continue
                if self.ledger.blocker(self.upstream, parked.originator_id, parked.notification_id) is not None:
                    continue
                if self._retry(json.loads(parked.envelope)):
                    applied += 1
                    progressed = True
        return applied

    def _retry(self, message: dict[str, Any]) -> bool:
        notification_id = message["notification_id"]
        try:
            self.verifier.check(message)
            outcome = self.apply(envelope.load(message), late=True)
        except PersistenceError:
            raise
        except Exception as error:  # noqa: BLE001 - it stays parked, with the new reason
            self._park(message, f"{type(error).__name__}: {error}")
            return False
        self.ledger.retried(self.upstream, notification_id)
        self.ledger.release_held(self.upstream, str(message.get("originator_id")))
        log.info("retried parked %s notification %d: %s", self.upstream, notification_id, outcome)
        return outcome == APPLIED

    def _genuine(self, message: Any) -> bool:
        """Signed by the upstream and numbered; else recorded as refused."""
        try:
            self.verifier.check(message)
            if not isinstance(message.get("notification_id"), int) or message["notification_id"] < 1:
                raise ForgedEnvelope("no notification id")
        except ForgedEnvelope as error:
            number = message.get("notification_id") if isinstance(message, Mapping) else None
            event_id = message.get("event_id") if isinstance(message, Mapping) else None
            self.ledger.refuse(
                self.upstream,
                number if isinstance(number, int) else None,
                str(event_id)[:100] if event_id is not None else None,
                f"not genuine: {error}",
            )
            log.error("refused %s envelope %s: %s", self.upstream, number, error)
            return False
        return True

    def _again(self, message: Mapping[str, Any]) -> str:
        """An envelope for a position we have passed: a duplicate, a conflicting
        claim on that position, or an event its source parked and released late
        (released ones carry no previous link)."""
        notification_id = message["notification_id"]
        claimed = self.ledger.claimed(self.upstream, notification_id)
        if claimed is None and message.get("previous_notification_id") is None:
            return self.take(message, late=True)
        if claimed is not None and claimed != envelope.content_digest(message):
            return self._conflict(message)
        return DUPLICATE

    def _conflict(self, message: Mapping[str, Any]) -> str:
        notification_id = message["notification_id"]
        reason = f"conflicts with the event already taken at position {notification_id}"
        self.ledger.refuse(self.upstream, notification_id, str(message.get("event_id"))[:100], reason)
        log.error("refused %s notification %d: %s", self.upstream, notification_id, reason)
        return REJECTED

    def _park(self, message: Mapping[str, Any], error: str, held: bool = False) -> None:
        notification_id = message["notification_id"]
        self.ledger.park(
            self.upstream,
            notification_id,
            str(message.get("originator_id")),
            error,
            json.dumps(message, ensure_ascii=False),
            held=held,
        )
        log.error("parked %s notification %d: %s", self.upstream, notification_id, error)
