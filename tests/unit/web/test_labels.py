"""Every code a person could meet through the API — each enumeration in
/openapi.json and each error code — has its Chinese label in the app's one
dictionary (web/src/i18n/labels.zh-CN.json)."""

import json
import re
from pathlib import Path

from services.gateway import service  # noqa: F401 - registers every route and error
from services.gateway.web import http_errors, idempotency, session  # noqa: F401 - their errors
from services.gateway.web.openapi import build_spec
from shared.errors import ServiceError

LABELS = json.loads((Path(__file__).resolve().parents[3] / "web/src/i18n/labels.zh-CN.json").read_text("utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def enum_codes(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        found |= {str(code) for code in node.get("enum", []) if code is not None}
        for value in node.values():
            found |= enum_codes(value)
    elif isinstance(node, list):
        for value in node:
            found |= enum_codes(value)
    return found


def subclasses(kind: type) -> set[type]:
    direct = set(kind.__subclasses__())
    return direct.union(*(subclasses(sub) for sub in direct)) if direct else set()


def test_the_walk_finds_the_programmes_vocabulary():
    codes = enum_codes(build_spec())
    assert {"left_behind", "child_director", "1", "tiered_management", "drowning"} <= codes
    assert len(codes) > 150


def test_every_enumeration_code_in_the_api_document_has_a_chinese_label():
    missing = sorted(enum_codes(build_spec()) - set(LABELS["codes"]))
    assert not missing, f"add Chinese labels for {missing}"


def test_every_error_code_the_gateway_can_answer_has_a_chinese_label():
    codes = {kind.code for kind in subclasses(ServiceError) | subclasses(http_errors.GatewayError)}
    codes |= {ServiceError.code, http_errors.GatewayError.code, "UNEXPECTED_ERROR"}
    assert "CSRF_REFUSED" in codes and "DUPLICATE_ID_NUMBER" in codes
    missing = sorted(codes - set(LABELS["errors"]))
    assert not missing, f"add Chinese messages for {missing}"


def test_every_label_is_chinese():
    labels = [*LABELS["codes"].values(), *LABELS["errors"].values()]
    labels += [label for context in LABELS["byContext"].values() for label in context.values()]
    assert [label for label in labels if not CJK.search(label)] == []
