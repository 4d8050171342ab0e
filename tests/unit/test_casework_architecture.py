"""Casework's domain modules are as pure as domain.py (DESIGN.md §4): the
standard library, eventsourcing.domain and each other only."""
from pathlib import Path

import pytest

from tests.unit.test_architecture import imported_modules, top

CASEWORK = Path(__file__).resolve().parents[2] / "services" / "casework"
DOMAIN_MODULES = ("domain", "rules", "cases", "groups", "activities", "care", "directors", "funds",
                  "reports", "exceptions", "lines")
ALLOWED = {"eventsourcing.domain", "shared.errors"}


@pytest.mark.parametrize("name", DOMAIN_MODULES)
def test_domain_module_is_pure(name):
    for module in imported_modules(CASEWORK / f"{name}.py"):
        if module.startswith("services.casework."):
            assert module.split(".")[-1] in DOMAIN_MODULES, module
        elif top(module) in ("eventsourcing", "shared"):
            assert module in ALLOWED, module
        else:
            assert top(module) in {"__future__", "uuid", "datetime", "typing", "collections",
                                   "dataclasses", "re"}, module


@pytest.mark.parametrize("name", ["case_commands", "community_commands", "director_commands", "feeds",
                                  "report_queries", "views", "publishing"])
def test_application_modules_use_no_web_or_messaging_framework(name):
    modules = imported_modules(CASEWORK / f"{name}.py")
    assert not {m for m in modules if top(m) in {"nameko", "kombu", "marshmallow", "werkzeug"}}
