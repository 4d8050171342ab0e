"""The two lock files: requirements.run.lock is everything the services import
(directly or through their dependencies) and nothing only tests need, so the
production image carries no test tools; requirements.test.lock adds those on
top of it; bootstrap installs both, the Dockerfile only the run set."""

import ast
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
RUN_LOCK = ROOT / "requirements.run.lock"
TEST_LOCK = ROOT / "requirements.test.lock"
# Code that runs in the image: the services, what they share, broker provisioning.
RUNTIME_CODE = ("shared", "services", "deploy")
TEST_TOOLS = {"pytest", "pytest-timeout", "hypothesis", "schemathesis", "playwright", "ruff", "mypy"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    lines = (line.strip() for line in path.read_text().splitlines())
    pairs = (line.split("==") for line in lines if line and not line.startswith(("#", "-r")))
    return {norm(name): version for name, version in pairs}


def includes(path: Path) -> list[str]:
    return [line.split()[1] for line in path.read_text().splitlines() if line.startswith("-r ")]


def imported_top_modules(folder: str) -> set[str]:
    modules = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def requirements_of(dist_name: str, extras: set[str]) -> list[Requirement]:
    env = default_environment()
    needed = []
    for text in metadata.distribution(dist_name).requires or []:
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({**env, "extra": e}) for e in ["", *extras]):
            needed.append(req)
    return needed


def test_the_test_lock_builds_on_the_run_lock_and_repeats_none_of_it():
    assert includes(TEST_LOCK) == ["requirements.run.lock"]
    assert not set(pins(RUN_LOCK)) & set(pins(TEST_LOCK))


def test_no_test_tool_is_in_the_run_lock():
    assert not TEST_TOOLS & set(pins(RUN_LOCK))
    assert TEST_TOOLS <= set(pins(TEST_LOCK))


def test_every_package_the_runtime_code_imports_is_in_the_run_lock():
    by_module = metadata.packages_distributions()
    ours = {"shared", "services", "deploy", "tools", "tests", "bench"}
    missing = set()
    for folder in RUNTIME_CODE:
        for module in imported_top_modules(folder) - ours - set(sys.stdlib_module_names):
            dists = {norm(d) for d in by_module.get(module, [])}
            assert dists, f"{folder} imports {module}, which no installed package provides"
            if not dists & set(pins(RUN_LOCK)):
                missing.add(f"{module} ({', '.join(sorted(dists))})")
    assert not missing, f"imported by the services but not in requirements.run.lock: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(pins(RUN_LOCK)))
def test_each_run_package_has_its_own_dependencies_in_the_run_lock(name):
    run = pins(RUN_LOCK)
    extras = {"postgres"} if name == "eventsourcing" else {"binary", "pool"} if name == "psycopg" else set()
    missing = sorted(norm(r.name) for r in requirements_of(name, extras) if norm(r.name) not in run)
    assert not missing, f"{name} needs {missing}, which the image would not get"


def test_the_installed_versions_are_the_pinned_ones():
    for name, version in {**pins(RUN_LOCK), **pins(TEST_LOCK)}.items():
        assert metadata.version(name) == version, name


def test_bootstrap_installs_both_and_the_image_only_the_run_set():
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text()
    assert "-r requirements.test.lock" in bootstrap  # which includes the run lock
    assert "requirements.run.lock requirements.test.lock" in bootstrap  # both in the reinstall stamp
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    dockerfile = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert "pip install -r requirements.run.lock" in dockerfile
    assert "requirements.test.lock" not in dockerfile
    assert not (ROOT / "requirements.lock").exists()
