"""Read models projected from grants' own log: the lists behind GET
/organizations and /calls, and the public notices and bans anyone may read."""
from __future__ import annotations

from typing import Any

from services.grants.calls import Call
from services.grants.notices import PublicNotice
from services.grants.organisations import Organisation
from shared.projection import Projection


class GrantsViews(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.organisations: dict[str, dict[str, Any]] = {}
        self.calls: dict[str, dict[str, Any]] = {}
        self.notices: dict[str, dict[str, Any]] = {}
        self.bans: dict[str, dict[str, Any]] = {}

    def apply(self, e: Any) -> None:
        key = str(e.originator_id)
        if isinstance(e, Organisation.Registered):
            self.organisations[key] = {
                "organization_id": e.originator_id, "name": e.name, "credit_code": e.credit_code,
                "registration_type": e.registration_type, "registered_on": e.registered_on,
            }
        elif isinstance(e, Organisation.Banned):
            ban_key = f"{e.decided_on.isoformat()}/{key}/{e.originator_version:06d}"
            self.bans[ban_key] = {
                "ban_id": ban_key, "organization_id": e.originator_id, "name": e.name,
                "credit_code": e.credit_code, "reason": e.reason, "decided_on": e.decided_on,
                "banned_until": e.banned_until,
            }
        elif isinstance(e, Call.Drafted):
            self.calls[key] = {
                "call_id": e.originator_id, "title": e.terms["title"], "budget_fen": e.terms["budget_fen"],
                "status": "drafted", "submission_opens": e.terms["submission_opens"],
                "submission_closes": e.terms["submission_closes"],
            }
        elif isinstance(e, Call.Published):
            self.calls[key]["status"] = "published"
        elif isinstance(e, Call.Closed):
            self.calls[key]["status"] = "closed"
        elif isinstance(e, PublicNotice.Opened):
            self.notices[key] = {
                "notice_id": e.originator_id, "call_id": e.call_id, "call_title": e.call_title,
                "opened_on": e.opened_on, "ends_on": e.ends_on, "day_kind": e.day_kind, "days": e.days,
                "entries": [
                    {k: entry[k] for k in ("application_id", "organization_name", "credit_code", "rank", "score")}
                    for entry in e.entries
                ],
                "objections_open": 0, "objections_resolved": 0,
            }
        elif isinstance(e, PublicNotice.ObjectionLodged):
            self.notices[key]["objections_open"] += 1
        elif isinstance(e, PublicNotice.ObjectionResolved):
            self.notices[key]["objections_open"] -= 1
            self.notices[key]["objections_resolved"] += 1

    @staticmethod
    def _page(rows: dict[str, dict[str, Any]], limit: int, after: str | None) -> list[dict[str, Any]]:
        keys = sorted(rows)
        if after is not None:
            keys = [k for k in keys if k > after]
        return [rows[k] for k in keys[:limit]]

    def list_organisations(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.organisations, limit, after)

    def list_calls(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.calls, limit, after)

    def list_notices(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.notices, limit, after)

    def list_bans(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.bans, limit, after)
