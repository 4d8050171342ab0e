"""Layering rules from DESIGN.md §4, checked on the source."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = {"nameko", "kombu", "marshmallow", "psycopg", "eventlet", "werkzeug"}
DOMAIN_MAY_USE = {"eventsourcing.domain"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def top(module: str) -> str:
    return module.split(".")[0]


DOMAINS = sorted(ROOT.glob("services/*/domain.py"))
APPLICATIONS = sorted(ROOT.glob("services/*/application.py"))


@pytest.mark.parametrize("path", DOMAINS, ids=lambda p: p.parent.name)
def test_domain_imports_no_framework(path):
    modules = imported_modules(path)
    assert not {m for m in modules if top(m) in FRAMEWORKS}
    eventsourcing = {m for m in modules if top(m) == "eventsourcing"}
    assert eventsourcing <= DOMAIN_MAY_USE, eventsourcing


@pytest.mark.parametrize("path", APPLICATIONS, ids=lambda p: p.parent.name)
def test_application_imports_no_messaging_or_web_framework(path):
    modules = imported_modules(path)
    assert not {m for m in modules if top(m) in {"nameko", "kombu", "marshmallow", "werkzeug"}}


def test_every_service_has_the_conventional_modules():
    for service in ("registry", "grants", "casework", "finance"):
        for module in ("application.py", "service.py"):
            assert (ROOT / "services" / service / module).exists(), (service, module)


def test_nothing_reads_the_environment_outside_config():
    offenders = []
    for path in list(ROOT.glob("services/**/*.py")) + list(ROOT.glob("shared/**/*.py")):
        text = path.read_text()
        if ("os.environ" in text or "getenv(" in text) and path.name not in {"config.py", "__init__.py", "launcher.py"}:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
