"""Audit entrypoints every event-sourced service offers (mixed into
EventSourcedService): verify, replay, history and the log between positions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from shared.attachments import AttachmentStore
from shared.audit import export, replay
from shared.audit.anchor import AnchorError, check_anchor, make_anchor
from shared.audit.attachments import check_attachments
from shared.audit.errors import AggregateNotFound, InvalidAuditRequest
from shared.audit.verify import verify_log
from shared.config import load_attachment_settings, load_settings
from shared.entrypoints import rpc
from shared.eventstore import ServiceApplication

MAX_PAGE = 1000


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise AggregateNotFound(value) from None


def _moment(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidAuditRequest({name: ["must be an ISO 8601 timestamp"]}) from None
    if moment.tzinfo is None:
        raise InvalidAuditRequest({name: ["must include a time zone, e.g. +08:00"]})
    return moment


def _int(value: Any, name: str, minimum: int = 0) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidAuditRequest({name: [f"must be an integer >= {minimum}"]})
    return value


class AuditEntrypoints:
    # What a worker sees of the service's `store = ServiceStore(...)` dependency.
    store: ServiceApplication

    @rpc(expected_exceptions=(InvalidAuditRequest,))  # type: ignore[untyped-decorator]  # nameko ships no types
    def audit_verify(self, anchor: dict[str, Any] | None = None) -> dict[str, Any]:
        app = self.store
        if anchor is not None:
            try:
                check_anchor(anchor, load_settings().anchor_key, app.name)
            except AnchorError as error:
                raise InvalidAuditRequest({"anchor": [str(error)]}) from None
        result = verify_log(app, app.plumbing.seals, anchor).as_dict()
        # The attached files the log records (stored outside it) must still be what it says.
        files = check_attachments(app, AttachmentStore.from_settings(load_attachment_settings()))
        return {**result, "attachments": files.as_dict()}

    @rpc(expected_exceptions=(InvalidAuditRequest,))  # type: ignore[untyped-decorator]  # nameko ships no types
    def audit_anchor(self) -> dict[str, Any]:
        app = self.store
        last = app.plumbing.seals.last()
        if last is None:
            raise InvalidAuditRequest({"_log": ["nothing sealed yet"]})
        try:
            return make_anchor(app.name, last.notification_id, last.chain_hash.hex(), load_settings().anchor_key)
        except AnchorError as error:
            raise InvalidAuditRequest({"anchor": [str(error)]}) from None

    @rpc(expected_exceptions=(InvalidAuditRequest,))  # type: ignore[untyped-decorator]  # nameko ships no types
    def audit_events(
        self, after: Any = 0, upto: Any = None, since: Any = None, until: Any = None, limit: Any = 100
    ) -> dict[str, Any]:
        limit = _int(limit, "limit", 1) or 100
        return replay.events_between(
            self.store,
            after=_int(after, "after") or 0,
            upto=_int(upto, "upto", 1),
            since=_moment(since, "since"),
            until=_moment(until, "until"),
            limit=min(limit, MAX_PAGE),
        )

    @rpc(expected_exceptions=(InvalidAuditRequest,))  # type: ignore[untyped-decorator]  # nameko ships no types
    def audit_export(
        self,
        after: Any = 0,
        upto: Any = None,
        since: Any = None,
        until: Any = None,
        limit: Any = MAX_PAGE,
        masking: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One piece of an export (shared/audit/export.py's rows, masked as
        `masking` says: the caller's role's switches), scanning at most `limit`
        events; `next_after` continues it, None at the end."""
        app = self.store
        found, next_after = export.page(
            app,
            app.plumbing.seals,
            after=_int(after, "after") or 0,
            upto=_int(upto, "upto", 1),
            since=_moment(since, "since"),
            until=_moment(until, "until"),
            limit=min(_int(limit, "limit", 1) or MAX_PAGE, MAX_PAGE),
            masking=export.Masking(**(masking or {})),
        )
        return {"rows": found, "next_after": next_after}

    @rpc(expected_exceptions=(AggregateNotFound, InvalidAuditRequest))  # type: ignore[untyped-decorator]  # nameko ships no types
    def audit_aggregate(self, aggregate_id: Any, version: Any = None, as_of: Any = None) -> dict[str, Any]:
        try:
            return replay.aggregate_state(
                self.store,
                _uuid(aggregate_id),
                version=_int(version, "version", 1),
                as_of=_moment(as_of, "as_of"),
            )
        except AggregateNotFoundError:
            raise AggregateNotFound(aggregate_id) from None

    @rpc(expected_exceptions=(AggregateNotFound,))  # type: ignore[untyped-decorator]  # nameko ships no types
    def audit_history(self, aggregate_id: Any) -> list[dict[str, Any]]:
        try:
            return replay.history(self.store, _uuid(aggregate_id))
        except AggregateNotFoundError:
            raise AggregateNotFound(aggregate_id) from None
