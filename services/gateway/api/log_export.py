"""A service's log streamed to an auditor as the audit CLI's JSONL export
(shared/audit/export.py: one place for the format), so the file checks
offline with tools/verify_export.py.

The service answers the export in pieces of at most AUDIT_EXPORT_PIECE events
(default 1000; `audit_export`); the gateway writes each piece as it comes, so neither side
holds more than one piece of a long log. The first piece is read before the
answer starts, so a refused range or an absent service answers 4xx/5xx as
usual; a later failure cuts the stream short (the chunked answer then never
ends properly, and a client sees the download fail rather than a short file).

Rows are masked by the service with the caller's role's switches, exactly as
GET /audit/{service}/events is masked for them by the guard, and stored bytes
that would reveal what masking hides are withheld (export.py). Each child
whose file the export shows is written to the access log, as for a page of
/audit/{service}/events (policy.children_in_log_page), before its piece is sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from werkzeug.wrappers import Response

from services.gateway.policy import children_in_log_page
from shared.audit.export import jsonl_line

JSONL = "application/x-ndjson"
ROUTE = "GET /audit/{service}/export.jsonl"


def shown_children(service: str, rows: list[dict[str, Any]]) -> list[str]:
    """The children a piece shows, read as a page of /audit/{service}/events is read."""
    items = [{**row, "data": json.loads(row["data"]) if row.get("data") else {}} for row in rows]
    return children_in_log_page({"service": service}, {"items": items})


def streamed(gw, request, service: str, first: dict, piece: Callable[[int], dict]) -> Response:
    caller, path = gw.caller, request.full_path.rstrip("?")
    logged: set[str] = set()

    def lines() -> Iterator[str]:
        found = first
        while True:
            for child_id in shown_children(service, found["rows"]):
                if child_id not in logged:
                    logged.add(child_id)
                    gw.store.record_child_read(
                        caller.username, caller.role, child_id, ROUTE, path, 200, datetime.now(UTC)
                    )
            for row in found["rows"]:
                yield jsonl_line(row)
            if found["next_after"] is None:
                return
            found = piece(found["next_after"])

    response = Response(lines(), mimetype=JSONL)
    filename = f"审计日志-{service}.jsonl"
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response
