"""Read models projected from grants' own log: the lists behind GET
/organizations and /calls, and the public notices and bans anyone may read."""

from __future__ import annotations

from typing import Any

from services.grants.domain.calls import Call
from services.grants.domain.contracts import Contract
from services.grants.domain.notices import PublicNotice
from services.grants.domain.organizations import Organization
from shared.projection import Projection, handles


class GrantsViews(Projection):
    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self) -> None:
        self.organizations: dict[str, dict[str, Any]] = {}
        self.calls: dict[str, dict[str, Any]] = {}
        self.notices: dict[str, dict[str, Any]] = {}
        self.bans: dict[str, dict[str, Any]] = {}
        self.contracts: set[str] = set()

    @handles(Organization.Registered)
    def _registered(self, e: Any) -> None:
        self.organizations[str(e.originator_id)] = {
            "organization_id": e.originator_id,
            "name": e.name,
            "credit_code": e.credit_code,
            "registration_type": e.registration_type,
            "registered_on": e.registered_on,
        }

    @handles(Organization.Banned)
    def _banned(self, e: Any) -> None:
        ban_key = f"{e.decided_on.isoformat()}/{e.originator_id}/{e.originator_version:06d}"
        self.bans[ban_key] = {
            "ban_id": ban_key,
            "organization_id": e.originator_id,
            "name": e.name,
            "credit_code": e.credit_code,
            "reason": e.reason,
            "decided_on": e.decided_on,
            "banned_until": e.banned_until,
        }

    @handles(Contract.Signed)
    def _contract_signed(self, e: Any) -> None:
        self.contracts.add(str(e.originator_id))

    @handles(Call.Drafted)
    def _call_drafted(self, e: Any) -> None:
        self.calls[str(e.originator_id)] = {
            "call_id": e.originator_id,
            "title": e.terms["title"],
            "budget_fen": e.terms["budget_fen"],
            "status": "drafted",
            "submission_opens": e.terms["submission_opens"],
            "submission_closes": e.terms["submission_closes"],
        }

    @handles(Call.Published)
    def _call_published(self, e: Any) -> None:
        self.calls[str(e.originator_id)]["status"] = "published"

    @handles(Call.Closed)
    def _call_closed(self, e: Any) -> None:
        self.calls[str(e.originator_id)]["status"] = "closed"

    @handles(PublicNotice.Opened)
    def _notice_opened(self, e: Any) -> None:
        self.notices[str(e.originator_id)] = {
            "notice_id": e.originator_id,
            "call_id": e.call_id,
            "call_title": e.call_title,
            "opened_on": e.opened_on,
            "ends_on": e.ends_on,
            "day_kind": e.day_kind,
            "days": e.days,
            "entries": [
                {k: entry[k] for k in ("application_id", "organization_name", "credit_code", "rank", "score")}
                for entry in e.entries
            ],
            "objections_open": 0,
            "objections_resolved": 0,
        }

    @handles(PublicNotice.ObjectionLodged)
    def _objection_lodged(self, e: Any) -> None:
        self.notices[str(e.originator_id)]["objections_open"] += 1

    @handles(PublicNotice.ObjectionResolved)
    def _objection_resolved(self, e: Any) -> None:
        notice = self.notices[str(e.originator_id)]
        notice["objections_open"] -= 1
        notice["objections_resolved"] += 1

    @staticmethod
    def _page(rows: dict[str, dict[str, Any]], limit: int, after: str | None) -> list[dict[str, Any]]:
        keys = sorted(rows)
        if after is not None:
            keys = [k for k in keys if k > after]
        return [rows[k] for k in keys[:limit]]

    def list_organizations(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.organizations, limit, after)

    def list_calls(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.calls, limit, after)

    def list_notices(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.notices, limit, after)

    def contract_ids(self) -> list[str]:
        self.refresh()
        return sorted(self.contracts)

    def list_bans(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        self.refresh()
        return self._page(self.bans, limit, after)
