"""Calls for proposals: drafting with the notice's defaults, publishing, closing."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.grants.domain.calls import DEFAULT_PREFERENCE_POINTS, DEFAULT_RUBRIC, DEFAULT_TRANCHES, Call
from services.grants.exceptions import CallNotFound
from services.grants.use_cases.base import GrantsBase

CALL_DEFAULTS = {
    "notice_days": 5,
    "notice_day_kind": "calendar",
    "holidays": [],
    "workdays": [],
    "min_scorers": 3,
}


class CallUseCases(GrantsBase):
    def draft_call(self, **terms: Any) -> UUID:
        terms = {**CALL_DEFAULTS, **{k: v for k, v in terms.items() if v is not None}}
        terms.setdefault("tranches", [dict(t) for t in DEFAULT_TRANCHES])
        terms.setdefault("rubric", [dict(c) for c in DEFAULT_RUBRIC])
        terms["preference_points"] = {**DEFAULT_PREFERENCE_POINTS, **terms.get("preference_points", {})}
        call = Call.draft(today=self.clock(), terms=terms)
        self.save_or_conflict(call, record="call")
        return call.id

    def publish_call(self, call_id: UUID, published_on: date | None = None) -> None:
        call = self.load(Call, call_id, CallNotFound)
        call.publish(on=self._on(published_on, "published_on"))
        self.save_or_conflict(call, record="call")

    def close_call(self, call_id: UUID, reason: str, closed_on: date | None = None) -> None:
        call = self.load(Call, call_id, CallNotFound)
        call.close(on=self._on(closed_on, "closed_on"), reason=reason)
        self.save_or_conflict(call, record="call")

    def get_call(self, call_id: UUID) -> dict[str, Any]:
        call = self.load(Call, call_id, CallNotFound)
        return {
            "call_id": call.id,
            **call.terms,
            "status": call.status,
            "drafted_on": call.drafted_on,
            "published_on": call.published_on,
            "closed_on": call.closed_on,
            "close_reason": call.close_reason,
            "application_ids": call.application_ids,
            "panel": list(call.panel.values()),
            "declarations": list(call.declarations.values()),
            "shortlist": call.shortlist,
            "shortlisted_on": call.shortlisted_on,
            "ranking": call.ranking,
            "notice_id": call.notice_id,
            "determined_application_id": call.determined_application_id,
            "determined_amount_fen": call.determined_amount_fen,
            "determined_on": call.determined_on,
            "voided_determinations": call.voided_determinations,
            "version": call.version,
        }

    def list_calls(self, *, limit: int, after: str | None) -> list[dict[str, Any]]:
        return self.views.list_calls(limit, after)
