"""Submissions recorded offline on a phone and sent when the network came back.

The web app marks each such resend with `X-Offline-Capture: <when it was
recorded, ISO 8601 with its offset>`. When the gateway refuses one on arrival
(a 4xx: the child was transferred, the ID number is already on file, a rule
changed), the refusal is recorded as an offline conflict — who, which route,
which fields were filled, when it was recorded and received, and the answer's
code and reasons — for the bureau to resolve (GET /offline-conflicts). The
body itself stays on the phone. The conflict's id is derived from the sender
and the Idempotency-Key, so a resend (answered from the first answer) records
nothing more; a refusal that is not about the submission records nothing:
sign in again (401), slow down (429), still being processed."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from services.gateway.web.http_errors import GatewayError
from services.gateway.web.idempotency import HEADER as IDEMPOTENCY_KEY
from services.gateway.web.inputs import raw_body

HEADER = "X-Offline-Capture"
NOT_ABOUT_THE_SUBMISSION = {401, 429}
NOT_RECORDED_CODES = {"IDEMPOTENT_REQUEST_IN_PROGRESS", "CSRF_REFUSED"}
MAX_MESSAGE = 500
MAX_REASONS_CHARS = 4000
MAX_FIELDS = 100


class InvalidOfflineCapture(GatewayError):
    code = "INVALID_HEADER"


def captured_at(request) -> datetime | None:
    """When the submission was recorded on the phone, or None (not an offline resend)."""
    value = request.headers.get(HEADER)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidOfflineCapture(
            f"{HEADER} must be the moment the submission was recorded, ISO 8601 with its offset",
            {HEADER: ["not an ISO 8601 date-time with an offset"]},
        )
    return moment


def is_a_conflict(response) -> bool:
    if not 400 <= response.status_code < 500 or response.status_code in NOT_ABOUT_THE_SUBMISSION:
        return False
    return _answer(response).get("error") not in NOT_RECORDED_CODES


def _answer(response) -> dict:
    try:
        answer = json.loads(response.get_data())
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _fields_sent(gw, request) -> list[str]:
    try:
        body = json.loads(raw_body(request, gw.settings.max_body_bytes))
    except Exception:  # noqa: BLE001 - an unreadable body filled no fields
        return []
    return sorted(str(k) for k in body)[:MAX_FIELDS] if isinstance(body, dict) else []


def _reasons(answer: dict) -> dict:
    reasons = answer.get("fields")
    if not isinstance(reasons, dict):
        return {}
    if len(json.dumps(reasons, ensure_ascii=False)) > MAX_REASONS_CHARS:
        return {str(name): ["…"] for name in list(reasons)[:MAX_FIELDS]}
    return reasons


def record_conflict(gw, caller, request, route: str, moment: datetime, response) -> None:
    answer = _answer(response)
    gw.store.record_offline_conflict(
        request.headers.get(IDEMPOTENCY_KEY),
        actor=caller.username,
        role=caller.role,
        route=route,
        path=request.path,
        fields_sent=_fields_sent(gw, request),
        captured_at=moment,
        received_at=datetime.now(timezone.utc),
        status=response.status_code,
        error=str(answer.get("error") or "ERROR"),
        message=str(answer.get("message") or "")[:MAX_MESSAGE],
        reasons=_reasons(answer),
    )
