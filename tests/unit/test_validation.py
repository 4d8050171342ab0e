"""StrictSchema and what a web form sends: an optional field left empty
arrives as "" and is taken as not sent (its default applies); a required field
sent as "" is still checked by its own rules, with a message on that field;
unknown fields stay refused, empty or not."""

import pytest
from marshmallow import fields, validate

from services.registry import schemas as registry
from shared.errors import InvalidInput
from shared.pagination import PageQuery
from shared.validation import StrictSchema, load_or_refuse

TEXT = validate.Length(min=1, max=100)


class Note(StrictSchema):
    text = fields.String(required=True, validate=TEXT)
    follow_up = fields.String(load_default=None, allow_none=True, validate=TEXT)
    due = fields.Date(load_default=None, allow_none=True)
    campaign_id = fields.UUID(load_default=None, allow_none=True)
    kind = fields.String(load_default="visit", validate=validate.OneOf(("visit", "call")))
    label = fields.String(data_key="title", validate=TEXT)


class Reply(StrictSchema):
    note = fields.Nested(Note, required=True)


def test_empty_optional_fields_are_taken_as_absent_and_get_their_defaults():
    loaded = load_or_refuse(
        Note(), {"text": "看望", "follow_up": "", "due": "", "campaign_id": "", "kind": "", "title": ""}
    )
    assert loaded == {"text": "看望", "follow_up": None, "due": None, "campaign_id": None, "kind": "visit"}


def test_a_required_field_sent_empty_is_refused_with_a_message_on_that_field():
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(Note(), {"text": "", "follow_up": ""})
    assert list(refused.value.fields) == ["text"] and refused.value.fields["text"]


def test_an_unknown_field_is_refused_even_when_empty():
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(Note(), {"text": "看望", "colour": ""})
    assert list(refused.value.fields) == ["colour"]


def test_values_that_are_not_empty_strings_are_loaded_as_before():
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(Note(), {"text": "看望", "due": "not a date", "follow_up": None, "kind": "mail"})
    assert set(refused.value.fields) == {"due", "kind"}
    assert load_or_refuse(Note(), {"text": "看望", "follow_up": None})["follow_up"] is None


def test_nested_shapes_take_empty_optional_fields_as_absent_too():
    assert load_or_refuse(Reply(), {"note": {"text": "看望", "due": ""}})["note"]["due"] is None
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(Reply(), {"note": {"text": ""}})
    assert "text" in refused.value.fields["note"]


def test_a_visit_form_with_its_optional_inputs_left_empty_is_accepted():
    """The registry's own shape, as a visit form posts it (refused before: "" is not a UUID)."""
    form = {"visited_on": "2025-09-01", "visitor": "王芳", "findings": "家中安好", "follow_up": "", "campaign_id": ""}
    loaded = load_or_refuse(registry.VisitRequest(), form)
    assert (loaded["follow_up"], loaded["campaign_id"], loaded["household"]) == (None, None, None)


def test_a_query_string_with_empty_parameters_reads_as_if_they_were_left_out():
    assert PageQuery().load({"limit": "", "cursor": ""}) == PageQuery().load({})
