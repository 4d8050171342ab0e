"""The browser app's typed client is generated from a committed copy of the
gateway's API document: both must match what the gateway serves today
(regenerate with `python -m tools.openapi_doc --write`)."""

from tools import openapi_doc

REGENERATE = "out of step with the gateway's routes: run `.venv/bin/python -m tools.openapi_doc --write`"


def test_the_committed_api_document_is_the_gateways():
    assert openapi_doc.DOCUMENT.read_text(encoding="utf-8") == openapi_doc.document_text(), REGENERATE


def test_the_committed_typescript_types_are_generated_from_it():
    assert openapi_doc.TYPES.read_text(encoding="utf-8") == openapi_doc.generated_types(), REGENERATE
