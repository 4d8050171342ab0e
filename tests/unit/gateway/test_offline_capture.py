"""Which answers to an offline resend are conflicts, and the capture header's form."""

from datetime import UTC, datetime

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from services.gateway.web import offline


def request(value: str | None) -> Request:
    headers = {} if value is None else {offline.HEADER: value}
    return Request(EnvironBuilder(method="POST", path="/children", headers=headers).get_environ())


def answer(status: int, code: str = "CONFLICT") -> Response:
    return Response(
        f'{{"error": "{code}", "message": "m", "fields": {{}}}}', status=status, mimetype="application/json"
    )


def test_the_capture_time_is_read_with_its_offset():
    assert offline.captured_at(request(None)) is None
    assert offline.captured_at(request("2026-12-05T06:40:00+08:00")) == datetime(2026, 12, 4, 22, 40, tzinfo=UTC)
    assert offline.captured_at(request("2026-12-04T22:40:00.123Z")).tzinfo is not None


@pytest.mark.parametrize("value", ["yesterday", "2026-12-05T06:40:00", "", "2026-13-05T06:40:00Z"])
def test_a_capture_time_without_an_offset_or_not_a_time_is_refused(value):
    with pytest.raises(offline.InvalidOfflineCapture) as refused:
        offline.captured_at(request(value))
    assert offline.HEADER in refused.value.fields


def test_refusals_of_the_submission_are_conflicts_and_others_are_not():
    assert offline.is_a_conflict(answer(409, "DUPLICATE_ID_NUMBER"))
    assert offline.is_a_conflict(answer(404, "NOT_FOUND"))
    assert offline.is_a_conflict(answer(403, "FORBIDDEN"))
    assert offline.is_a_conflict(answer(400, "VALIDATION_ERROR"))
    assert not offline.is_a_conflict(answer(201, "x"))
    assert not offline.is_a_conflict(answer(401, "UNAUTHENTICATED"))
    assert not offline.is_a_conflict(answer(429, "TOO_MANY_ATTEMPTS"))
    assert not offline.is_a_conflict(answer(409, "IDEMPOTENT_REQUEST_IN_PROGRESS"))
    assert not offline.is_a_conflict(answer(503, "SERVICE_UNAVAILABLE"))
