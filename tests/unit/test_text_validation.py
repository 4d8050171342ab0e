"""Text that cannot be stored or shown honestly is refused by every request
shape (StrictSchema), in any service: an unpaired surrogate (which made the
registry, the gateway's sign-in and PostgreSQL fail with a 500), NUL, the
bidirectional override controls, and names that look empty but are not."""

import pytest
from marshmallow import fields

from services.gateway import service  # noqa: F401 - registers every route
from services.gateway.web.routes import ROUTES
from services.registry.schemas import VisitRequest
from shared.contracts import dump_payload, load_payload, schema_for
from shared.errors import InvalidInput
from shared.validation import StrictSchema, load_or_refuse


class Note(StrictSchema):
    name = fields.String(required=True)
    remark = fields.String()
    tags = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), load_default=dict)


REFUSED = {
    "unpaired surrogate": "李\ud800",
    "NUL": "abc\x00",
    "right-to-left override": "invoice\u202egpj.exe",
    "isolate": "\u2066x\u2069",
    "zero-width only": "\u200b\u200d",
    "Hangul filler only": "\u3164",
    "word joiner and space": "\u2060 ",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=list(REFUSED))
def test_refused_text_is_a_field_error_not_a_crash(text):
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(Note(), {"name": text})
    assert list(refused.value.fields) == ["name"]


@pytest.mark.parametrize("text", REFUSED.values(), ids=list(REFUSED))
def test_refused_text_is_found_inside_nested_values_and_keys(text):
    for tags in ({"colour": [text]}, {text: ["x"]}):
        with pytest.raises(InvalidInput) as refused:
            load_or_refuse(Note(), {"name": "李晓花", "tags": tags})
        assert list(refused.value.fields) == ["tags"]


@pytest.mark.parametrize("text", ["李晓花", "O'Brien-Smith", "a\tb\nc", "émile", "👩‍👧 family", "مرحبا"])
def test_ordinary_text_passes(text):
    assert load_or_refuse(Note(), {"name": text})["name"] == text


def test_spaces_only_are_refused_in_a_name_and_left_to_the_field_rules_elsewhere():
    assert load_or_refuse(Note(), {"name": "李", "remark": "   "})["remark"] == "   "
    for body in ({"name": "   "}, {"name": "李", "tags": {"guardian": ["x"]}, "remark": "x"} | {"name": " \u3000 "}):
        with pytest.raises(InvalidInput) as refused:
            load_or_refuse(Note(), body)
        assert refused.value.fields == {"name": ["has no visible characters"]}


def test_a_service_schema_refuses_a_surrogate_in_visit_findings():
    visit = {"visited_on": "2025-05-01", "visitor": "王", "findings": "家中无人\udfff"}
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(VisitRequest(), visit)
    assert "findings" in refused.value.fields


def test_every_route_checks_its_body_and_query_with_a_strict_schema():
    loose = [
        (r.method, r.path, schema.__name__)
        for r in ROUTES
        for schema in (r.request, r.query)
        if schema is not None and not issubclass(schema, StrictSchema)
    ]
    assert loose == []


def test_public_contracts_carry_stored_history_whatever_text_it_holds():
    # A child registered before these rules could have a bidi override in its name (PostgreSQL stored it);
    # its event must still publish and be consumed, or the relay and every consumer would stop at it.
    child = {
        "child_id": "6f1c1f0e-0000-4000-8000-000000000001",
        "name": "\u202e花晓李",
        "gender": "female",
        "date_of_birth": "2015-03-04",
        "town": "滨河镇",
        "village": "新北村",
        "categories": ["left_behind"],
        "registered_on": "2025-05-01",
    }
    assert dump_payload("registry.child_registered.v1", load_payload("registry.child_registered.v1", child)) == child
    nested = schema_for("grants.contract_signed.v1").fields["budget_lines"].inner.nested
    assert nested.checks_text is False and nested().load({"line": "\u200b", "amount_fen": 1})["line"] == "\u200b"
