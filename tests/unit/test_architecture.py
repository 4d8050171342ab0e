"""Layering rules from DESIGN.md §4, checked on the source.

Every service has the same rooms: `domain/` (aggregates and pure rules),
`use_cases/` (what the service does), `application.py` composing them,
`service.py` (the nameko wire), `schemas.py`. Nothing under any `domain/`
imports a framework or the layers above it."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Services already in the shape below (the rest are being moved into it).
SERVICES: tuple[str, ...] = ("registry", "grants", "casework", "finance", "gateway")
FRAMEWORKS = {
    "nameko",
    "kombu",
    "marshmallow",
    "psycopg",
    "psycopg_pool",
    "eventlet",
    "werkzeug",
    "apispec",
    "requests",
    "yaml",
}
# What domain code may use beyond the standard library and its own domain package.
DOMAIN_MAY_USE = {
    "eventsourcing.domain",
    "shared.attached_files",
    "shared.errors",
    "shared.places",
    "shared.vocabulary",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def domain_modules() -> list[Path]:
    return sorted(ROOT.glob("services/*/domain/**/*.py"))


def use_case_modules() -> list[Path]:
    return sorted(ROOT.glob("services/*/use_cases/**/*.py")) + sorted(ROOT.glob("services/*/application.py"))


def label(path: Path) -> str:
    return str(path.relative_to(ROOT / "services"))


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_rooms(service):
    home = ROOT / "services" / service
    for room in ("domain/__init__.py", "use_cases/__init__.py", "application.py", "service.py", "schemas.py"):
        assert (home / room).exists(), f"services/{service}/{room}"


@pytest.mark.parametrize("path", domain_modules(), ids=label)
def test_domain_imports_only_the_standard_library_and_its_own_domain(path):
    service = path.relative_to(ROOT / "services").parts[0]
    own_domain = f"services.{service}.domain"
    offenders = set()
    for module in imported_modules(path):
        if top(module) in sys.stdlib_module_names or module == "__future__":
            continue
        if module in DOMAIN_MAY_USE or module == own_domain or module.startswith(own_domain + "."):
            continue
        offenders.add(module)
    assert not offenders, f"{label(path)} imports {sorted(offenders)}"


@pytest.mark.parametrize("path", use_case_modules(), ids=label)
def test_use_cases_import_no_messaging_or_web_framework(path):
    modules = imported_modules(path)
    assert not {m for m in modules if top(m) in {"nameko", "kombu", "marshmallow", "werkzeug", "eventlet"}}


def imported_names(path: Path) -> set[str]:
    """Modules and the names taken from them (`from a import b` gives a.b)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


# The gateway serves the other services' own request and answer shapes, and
# rebuilds their errors on its side of an RPC; nothing else crosses.
GATEWAY_MAY_USE = ("schemas", "exceptions")


def test_services_never_import_each_other():
    offenders = []
    for path in ROOT.glob("services/*/**/*.py"):
        own = path.relative_to(ROOT / "services").parts[0]
        for name in imported_names(path):
            parts = name.split(".")
            if parts[0] != "services" or len(parts) < 3 or parts[1] == own:
                continue
            if own == "gateway" and parts[2] in GATEWAY_MAY_USE:
                continue
            offenders.append(f"{label(path)} imports {name}")
    assert offenders == []


def test_shared_holds_no_service_code():
    offenders = [
        f"{p.relative_to(ROOT)} imports {m}"
        for p in ROOT.glob("shared/**/*.py")
        for m in imported_modules(p)
        if top(m) == "services"
    ]
    assert offenders == []


def test_nothing_reads_the_environment_outside_config():
    offenders = []
    for path in list(ROOT.glob("services/**/*.py")) + list(ROOT.glob("shared/**/*.py")):
        text = path.read_text()
        if ("os.environ" in text or "getenv(" in text) and path.name not in {"config.py", "__init__.py", "launcher.py"}:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
