"""The quarterly written report's tie to the generated report (卫沙民社函〔2025〕11号
§五.(三).4: 获选项目团队按季度以书面形式报送项目实施情况): the provider's written report
names casework's generated report by the log position it was generated at and
the hash of its content, so the bureau reviews figures anyone can regenerate
(GET .../reports/quarterly/{period}?as_of_position=N gives the same content and hash)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from marshmallow import fields, validate

from shared.validation import StrictSchema

HASH_PATTERN = r"^[0-9a-f]{64}$"


def content_hash(report: dict[str, Any]) -> str:
    """SHA-256 of the report's canonical JSON (keys sorted, UTF-8, no spaces),
    leaving out the hash itself; `report` is JSON primitives (shared.jsonable)."""
    body = {key: value for key, value in report.items() if key != "content_hash"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class GeneratedReportReference(StrictSchema):
    as_of_position = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0),
        metadata={"description": "the generated report's as_of_position"},
    )
    content_hash = fields.String(
        required=True,
        validate=validate.Regexp(HASH_PATTERN, error="must be the report's 64-character lowercase hex SHA-256"),
        metadata={"description": "the generated report's content_hash"},
    )
