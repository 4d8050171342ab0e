"""The one way the gateway writes JSON: UTF-8 text as itself (李娜, not
\\u674e\\u5a1c), with a Content-Type that says so. Answers, errors, masked
answers and replayed answers all go through here."""

from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.wrappers import Response

CONTENT_TYPE = "application/json; charset=utf-8"

# A lone surrogate (e.g. from "\ud800" in a request body) is legal in a JSON
# string but cannot be encoded as UTF-8: it stays escaped so the answer is
# still written instead of failing with a 500.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return _LONE_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json_text(data), status=status, content_type=CONTENT_TYPE, headers=headers)
