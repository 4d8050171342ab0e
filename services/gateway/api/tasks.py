"""GET /me/tasks: what is due and overdue for the signed-in person, gathered
from each service over RPC within the caller's scope and ordered by urgency
(services/gateway/domain/tasks.py). Which sources a role draws on is policy
(services/gateway/policy.py, TASK_SOURCES)."""

from __future__ import annotations

from typing import Any

from services.gateway import schemas as gs
from services.gateway.domain import CHILD_DIRECTOR, PROVIDER_STAFF
from services.gateway.domain import tasks as t
from services.gateway.policy import TASK_SOURCES
from services.gateway.web.routes import route
from shared.clock import programme_today

TAG = "tasks"


class TaskGathering:
    """One request's gathering: each service asked once, always narrowed to
    the caller's village (child director) or organisation (provider staff)."""

    def __init__(self, gw, caller):
        self.gw, self.caller = gw, caller
        self._contracts: list[dict[str, Any]] | None = None

    def _village(self) -> dict[str, str]:
        if self.caller.role == CHILD_DIRECTOR:
            return {"town": self.caller.scope["town"], "village": self.caller.scope["village"]}
        return {}

    def _organization(self) -> dict[str, str]:
        if self.caller.role == PROVIDER_STAFF:
            return {"organization_id": self.caller.scope["organization_id"]}
        return {}

    def contract_dues(self) -> list[dict[str, Any]]:
        if self._contracts is None:
            self._contracts = self.gw.call("grants", "contract_dues", self._organization())
        return self._contracts

    def rows(self, source: str) -> list[dict[str, Any]]:
        call = self.gw.call
        if source == "visits":
            return call("registry", "contacts_due", self._village())
        if source == "cases":
            query = {"contract_ids": [c["contract_id"] for c in self.contract_dues()]} if self._organization() else {}
            return call("casework", "case_dues", query)
        if source == "contracts":
            return self.contract_dues()
        if source == "objections":
            return call("grants", "open_objections")
        if source == "tranches":
            return call("finance", "payable_tranches")
        raise ValueError(f"no task source {source!r}")


GATHER = {
    "visits": t.visits,
    "cases": t.cases,
    "contracts": t.contracts,
    "objections": t.objections,
    "tranches": t.tranches,
}


class TaskRoutes:
    @route(
        "GET",
        "/me/tasks",
        summary="What is due and overdue for me, within my scope, most urgent first",
        tag=TAG,
        query=gs.TasksQuery,
        response=gs.TasksSchema,
        errors=(400,),
    )
    def my_tasks(self, request):
        within_days = self.loaded_query(request)["within_days"]
        today = programme_today()
        gathering = TaskGathering(self, self.caller)
        items = [
            item for source in TASK_SOURCES[self.caller.role] for item in GATHER[source](gathering.rows(source), today)
        ]
        answer = {"today": today, "within_days": within_days, "items": t.by_urgency(items, today, within_days)}
        return self.reply(gs.TasksSchema().dump(answer))
