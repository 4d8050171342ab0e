"""What a client can rely on, read from the route table and the OpenAPI
document built from it (no servers): every create (201) names the new record
as `id` and says where it can be read (a Location that is a GET route of this
gateway); every operation has a unique, stable operationId; and no answer
field documented as a number is written as a string; and /docs can show any
one tag's operations whole."""

import re
from collections import Counter
from decimal import Decimal

import pytest
from marshmallow import Schema, fields

import services.gateway.service  # noqa: F401 - registers every route in ROUTES
from services.gateway.web.openapi import build_spec
from services.gateway.web.routes import ROUTES, Route
from services.grants.schemas import EvaluationSchema, ScoreResult
from services.registry.schemas import RegisteredChild, VisitRecordedSchema
from shared.answers import Created

CREATES = [r for r in ROUTES if r.status == 201]
GET_PATHS = {r.path for r in ROUTES if r.method == "GET"}


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", template))


def schema_of(declared) -> Schema:
    return declared() if isinstance(declared, type) else declared


def label(r: Route) -> str:
    return f"{r.method} {r.path}"


def test_there_are_creates_to_check():
    assert len(CREATES) > 30


def test_every_create_declares_a_location():
    assert [label(r) for r in CREATES if not r.location] == []


def test_a_create_without_a_location_cannot_be_declared():
    with pytest.raises(ValueError, match="declares no location"):
        Route("POST", "/notes", "a note", "t", status=201)


def test_every_location_is_a_route_a_client_can_follow():
    """The template's path is one of this gateway's GET routes, with the same placeholders."""
    unknown = []
    for r in CREATES:
        as_route = re.sub(r"\{\w+\}", "{}", r.location)
        if not any(re.sub(r"\{\w+\}", "{}", path) == as_route for path in GET_PATHS):
            unknown.append(f"{label(r)} → {r.location}")
    assert unknown == []


def test_every_location_is_filled_from_the_path_or_the_answer():
    unfilled = []
    for r in CREATES:
        answer_fields = set(schema_of(r.response).fields) if r.response else set()
        missing = placeholders(r.location) - placeholders(r.path) - answer_fields
        if missing:
            unfilled.append(f"{label(r)}: {sorted(missing)}")
    assert unfilled == []


def test_every_create_answers_the_shared_shape_with_a_required_id():
    wrong = [
        label(r)
        for r in CREATES
        if r.response is None
        or not isinstance(schema_of(r.response), Created)
        or not schema_of(r.response).fields["id"].required
    ]
    assert wrong == []


def test_the_answer_names_the_new_record_as_id_and_keeps_its_older_name():
    assert RegisteredChild().dump({"child_id": "00000000-0000-4000-8000-000000000001"}) == {
        "id": "00000000-0000-4000-8000-000000000001",
        "child_id": "00000000-0000-4000-8000-000000000001",
    }
    visit = VisitRecordedSchema().dump(
        {"child_id": "00000000-0000-4000-8000-000000000001", "visit_id": "00000000-0000-4000-8000-000000000002"}
    )
    assert visit["id"] == visit["visit_id"] == "00000000-0000-4000-8000-000000000002"


def test_the_location_is_filled_with_the_path_values_and_the_answer():
    nested = next(r for r in CREATES if r.path == "/cases/{case_id}/sessions")
    assert nested.location_of({"case_id": "c-1"}, {"id": "s-1"}) == "/cases/c-1"
    top = next(r for r in CREATES if r.path == "/cases")
    assert top.location_of({}, {"id": "c-2"}) == "/cases/c-2"


def operations():
    for path, methods in build_spec()["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_has_an_operation_id_and_none_is_used_twice():
    ids = {where: operation.get("operationId") for where, operation in operations()}
    assert [where for where, given in ids.items() if not given] == []
    seen: dict[str, list[str]] = {}
    for where, given in ids.items():
        seen.setdefault(given, []).append(where)
    assert {given: wheres for given, wheres in seen.items() if len(wheres) > 1} == {}
    assert len(ids) == len(ROUTES)


def test_operation_ids_are_the_handlers_names_so_they_stay_put():
    ids = dict(operations())
    assert ids["POST /children"]["operationId"] == "register_child"
    assert ids["POST /contracts/{contract_id}/evaluations"]["operationId"] == "grants_evaluate"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", operation["operationId"]) for _, operation in operations())


# Swagger UI (swagger-ui-dist 5.35, on /docs) virtualises its list of operations
# from 150 rows (tag headings plus the open tags' operations): only the rows in
# view are in the page. /docs opens with every tag closed (web/docs/init.js), so
# one opened tag, with the closed headings, must stay under that.
SWAGGER_UI_VIRTUALISES_FROM = 150


def test_each_operation_has_one_tag_and_one_opened_tag_on_docs_is_shown_whole():
    assert [where for where, operation in operations() if len(operation.get("tags", [])) != 1] == []
    per_tag = Counter(operation["tags"][0] for _, operation in operations())
    assert len(per_tag) + max(per_tag.values()) < SWAGGER_UI_VIRTUALISES_FROM, per_tag


def test_every_create_documents_its_location_header():
    ids = dict(operations())
    undocumented = [label(r) for r in CREATES if "Location" not in ids[label(r)]["responses"]["201"].get("headers", {})]
    assert undocumented == []


def number_fields_written_as_text(schema: Schema, where: str):
    """Fields OpenAPI documents as numbers (apispec maps Decimal to "number")
    whose dump is a string."""
    for name, field in schema.fields.items():
        yield from field_written_as_text(field, f"{where}.{name}")


def field_written_as_text(field, where: str):
    if isinstance(field, fields.Decimal) and field.as_string:
        yield where
    elif isinstance(field, fields.Nested):
        yield from number_fields_written_as_text(schema_of(field.schema), where)
    elif isinstance(field, fields.List):
        yield from field_written_as_text(field.inner, f"{where}[]")
    elif isinstance(field, fields.Dict) and field.value_field is not None:
        yield from field_written_as_text(field.value_field, f"{where}{{}}")


def test_no_answer_field_documented_as_a_number_is_written_as_a_string():
    found = sorted(
        {w for r in ROUTES if r.response for w in number_fields_written_as_text(schema_of(r.response), label(r))}
    )
    assert found == []


def test_scores_are_numbers_in_the_answers_that_carry_them():
    total = ScoreResult().dump({"application_id": None, "member_id": None, "total": Decimal("90.9")})["total"]
    evaluation = EvaluationSchema().dump({"score": Decimal("90.9"), "scores": {"output": Decimal("30.5")}})
    assert (total, evaluation["score"], evaluation["scores"]) == (90.9, 90.9, {"output": 30.5})
