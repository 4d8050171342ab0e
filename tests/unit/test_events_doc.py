"""docs/events.md is the catalogue of public events; it is generated from the
contracts, so it can only be wrong by being stale."""

from tools import events_doc


def test_the_events_catalogue_is_up_to_date():
    assert events_doc.TARGET.read_text(encoding="utf-8") == events_doc.render(), (
        "docs/events.md is out of date: run `python -m tools.events_doc --write`"
    )


def test_every_published_event_is_in_the_catalogue_with_its_consumers():
    text = events_doc.render()
    assert "### `registry.child_registered.v1`" in text
    # casework follows the registry's children; finance follows grants' contracts.
    registered = text.split("### `registry.child_registered.v1`")[1].split("###")[0]
    assert "- consumers: casework" in registered
    signed = text.split("### `grants.contract_signed.v1`")[1].split("###")[0]
    assert "casework" in signed and "finance" in signed
