"""docker-compose.yml and the Dockerfile stay in step with the code.

Docker is not needed: these tests only read the files. They check that every
service under services/ has a container, that each container is wired to the
broker and the PostgreSQL store, and that compose sets no environment variable
the code doesn't read (shared/config.py is the only module that reads them).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
CONFIG_SOURCE = ROOT / "shared" / "config.py"

INFRASTRUCTURE = {"rabbitmq", "postgres"}
# Run once before the services: each service's own RabbitMQ user and PostgreSQL role.
BROKER_USERS = "rabbitmq-users"
DATABASE_ROLES = "postgres-roles"
ONE_SHOT_JOBS = {BROKER_USERS, DATABASE_ROLES}
ROLES_SQL = ROOT / "deploy" / "postgres" / "roles.sql"
# Read by the image/runtime rather than by shared/config.py.
EXTRA_ALLOWED_ENV = {"SERVICE", "PSYCOPG_WAIT_FUNC"}


def service_names() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/service.py"))


SERVICE_NAMES = service_names()


@pytest.fixture(scope="module")
def compose() -> dict:
    # safe_load resolves the x-service anchors and `<<:` merge keys.
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def environment(definition: dict) -> dict[str, str]:
    """A compose `environment:` as a dict, whether written as a map or a list."""
    env = definition.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) if "=" in item else (item, None) for item in env)
        env = dict(pairs)
    return {str(k): (None if v is None else str(v)) for k, v in env.items()}


def healthcheck_test(definition: dict) -> list[str]:
    check = definition.get("healthcheck") or {}
    test = check.get("test")
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    return [str(part) for part in test or []]


def env_names_read_by_config() -> set[str]:
    source = CONFIG_SOURCE.read_text()
    names = set(re.findall(r"""\b(?:_env|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    names |= set(re.findall(r"""\benviron\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]""", source))
    return names


def published_container_ports(definition: dict) -> set[int]:
    """Container ports that are published on the host, for short and long syntax."""
    ports = set()
    for entry in definition.get("ports") or []:
        if isinstance(entry, dict):
            if entry.get("published") is not None:
                ports.add(int(entry["target"]))
            continue
        spec = str(entry).split("/")[0]
        parts = spec.split(":")
        if len(parts) >= 2:  # [ip:]host:container
            ports.add(int(parts[-1]))
    return ports


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuations joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
    return instructions


def dockerfile_env() -> dict[str, str]:
    env = {}
    for keyword, args in dockerfile_instructions():
        if keyword != "ENV":
            continue
        words = shlex.split(args)
        if words and "=" not in words[0]:  # legacy `ENV KEY value`
            env[words[0]] = " ".join(words[1:])
        else:
            env.update(word.split("=", 1) for word in words)
    return env


# --- the set of services ---------------------------------------------------


def test_services_were_discovered():
    assert {"registry", "gateway"} <= set(SERVICE_NAMES)


def test_every_service_has_a_container(services):
    missing = sorted(set(SERVICE_NAMES) - set(services))
    assert not missing, f"services without a compose container: {missing}"


def test_no_container_for_a_service_that_does_not_exist(services):
    unknown = sorted(set(services) - set(SERVICE_NAMES) - INFRASTRUCTURE - ONE_SHOT_JOBS)
    assert not unknown, f"compose containers with no services/<name>/service.py: {unknown}"


def test_compose_has_no_obsolete_version_key(compose):
    assert "version" not in compose


# --- each service container -------------------------------------------------


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_is_built_from_the_repo_dockerfile(services, name):
    build = services[name].get("build")
    context = build.get("context") if isinstance(build, dict) else build
    assert context == "."
    if isinstance(build, dict):
        assert build.get("dockerfile", "Dockerfile") == "Dockerfile"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_env_names_the_service(services, name):
    assert environment(services[name]).get("SERVICE") == name


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_uses_the_rabbitmq_container(services, name):
    uri = environment(services[name]).get("AMQP_URI") or ""
    assert re.fullmatch(r"amqp://[^@/]+@rabbitmq:5672/?", uri), uri


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_uses_the_postgres_container(services, name):
    env = environment(services[name])
    assert env.get("EVENT_STORE") == "postgres"
    assert env.get("POSTGRES_HOST") == "postgres"
    assert env.get("POSTGRES_PORT", "5432") == "5432"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_uses_the_postgres_containers_database(services, name):
    env = environment(services[name])
    pg_env = environment(services["postgres"])
    assert env.get("POSTGRES_DBNAME", "postgres") == pg_env.get("POSTGRES_DB", pg_env.get("POSTGRES_USER", "postgres"))
    assert pg_env.get("POSTGRES_HOST_AUTH_METHOD") != "trust"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_sets_psycopg_wait_func(services, name):
    assert environment(services[name]).get("PSYCOPG_WAIT_FUNC") == "wait_select"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_waits_for_healthy_infrastructure(services, name):
    depends_on = services[name].get("depends_on")
    assert isinstance(depends_on, dict), "depends_on must use the long form with conditions"
    for dependency in sorted(INFRASTRUCTURE):
        assert dependency in depends_on, f"{name} does not depend on {dependency}"
        assert depends_on[dependency].get("condition") == "service_healthy"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_restarts(services, name):
    assert services[name].get("restart") == "unless-stopped"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_env_names_are_read_by_the_code(services, name):
    allowed = env_names_read_by_config() | EXTRA_ALLOWED_ENV
    unknown = sorted(set(environment(services[name])) - allowed)
    assert not unknown, f"{name} sets variables shared/config.py never reads: {unknown}"


def test_config_names_are_found_in_the_source():
    # Guards the regex above: if it stopped matching, the drift test would be vacuous.
    assert {"AMQP_URI", "EVENT_STORE", "POSTGRES_HOST", "GATEWAY_HOST"} <= env_names_read_by_config()


# --- infrastructure and the gateway -----------------------------------------


def test_rabbitmq_has_a_healthcheck(services):
    test = healthcheck_test(services["rabbitmq"])
    assert test and test[0] in ("CMD", "CMD-SHELL")
    assert "rabbitmq-diagnostics" in " ".join(test)


def test_postgres_has_a_healthcheck(services):
    test = healthcheck_test(services["postgres"])
    assert test and test[0] in ("CMD", "CMD-SHELL")
    assert "pg_isready" in " ".join(test)


def test_rabbitmq_publishes_the_amqp_port(services):
    assert 5672 in published_container_ports(services["rabbitmq"])


def test_gateway_listens_on_all_interfaces_and_publishes_its_port(services):
    gateway = services["gateway"]
    env = environment(gateway)
    assert env.get("GATEWAY_HOST") == "0.0.0.0"
    port = int(env.get("GATEWAY_PORT") or 8000)
    assert port == 8000
    assert port in published_container_ports(gateway)


def test_every_healthcheck_dependency_has_a_healthcheck(services):
    """`condition: service_healthy` on a container without a healthcheck never starts its dependant."""
    for name, definition in services.items():
        for dependency, rule in (definition.get("depends_on") or {}).items():
            if rule.get("condition") == "service_healthy":
                assert healthcheck_test(services[dependency]), (
                    f"{name} waits for {dependency}, which has no healthcheck"
                )


def test_depends_on_has_no_cycle(services):
    seen: dict[str, str] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"depends_on cycle: {' -> '.join((*path, name))}"
        if seen.get(name) == "done":
            return
        for dependency in services[name].get("depends_on") or {}:
            assert dependency in services, f"{name} depends on unknown {dependency}"
            visit(dependency, (*path, name))
        seen[name] = "done"

    for name in services:
        visit(name, ())


# --- operators: liveness, replicas, quorum queues -----------------------------

# Services that run as several replicas: relays and sealers single-active by
# their lock, handlers competing for their queue. The gateway has one host port.
REPLICATED = [n for n in SERVICE_NAMES if n != "gateway"]


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_service_has_a_liveness_healthcheck_that_names_it(services, name):
    check = services[name]["healthcheck"]
    assert healthcheck_test(services[name]) == ["CMD", "python", "-m", "shared.healthcheck", name]
    for timing in ("interval", "timeout", "retries", "start_period"):
        assert check.get(timing), f"{name}'s healthcheck has no {timing}"


def test_the_healthcheck_command_knows_every_service():
    from shared.healthcheck import main

    with pytest.raises(SystemExit) as usage:
        main(["--help"])
    assert usage.value.code == 0
    for name in SERVICE_NAMES:  # argparse choices: an unknown name would exit 2 before any check
        with pytest.raises(SystemExit) as unknown:
            main([name + "x"])
        assert unknown.value.code == 2


def test_the_gateway_starts_once_every_service_is_healthy(services):
    depends_on = services["gateway"]["depends_on"]
    for name in REPLICATED:
        assert depends_on[name]["condition"] == "service_healthy", name


@pytest.mark.parametrize("name", REPLICATED)
def test_scalable_services_run_two_replicas(services, name):
    assert services[name]["deploy"]["replicas"] == 2
    assert "container_name" not in services[name]  # a fixed name allows one container only
    assert not published_container_ports(services[name])  # a fixed host port allows one container only


def test_the_gateway_is_one_container_on_its_host_port(services):
    """Several would fight over 8000: more gateways go behind a load balancer (docs/operations.md)."""
    assert services["gateway"].get("deploy", {}).get("replicas", 1) == 1


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_quorum_queues_are_an_operator_option_off_by_default(services, name):
    assert environment(services[name])["RABBITMQ_QUORUM_QUEUES"] == "${RABBITMQ_QUORUM_QUEUES:-false}"


# --- the image --------------------------------------------------------------


def test_dockerfile_runs_on_python_311_slim_with_the_web_app_built_in_its_own_stage():
    froms = [args for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert froms and froms[-1].split()[0] == "python:3.11-slim"  # the image that runs is the last stage
    assert [f.split() for f in froms[:-1]] == [["node:20-slim", "AS", "web"]]
    copies = [args for keyword, args in dockerfile_instructions() if keyword == "COPY"]
    assert any(c.startswith("--from=web ") and "dist" in c for c in copies), copies


def test_dockerfile_installs_the_run_lock_file_and_no_test_tools():
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    assert any(re.search(r"\bpip\b.*\binstall\b.*-r\s+\S*requirements\.run\.lock\b", run) for run in runs), runs
    assert not any("requirements.test.lock" in run or "pytest" in run for run in runs), runs
    copies = [args for keyword, args in dockerfile_instructions() if keyword == "COPY"]
    assert any("requirements.run.lock" in c or c.split()[0] == "." for c in copies)


def test_dockerfile_sets_psycopg_wait_func_and_pythonpath():
    env = dockerfile_env()
    assert env.get("PSYCOPG_WAIT_FUNC") == "wait_select"
    assert env.get("PYTHONPATH") == "/app"


def test_dockerfile_runs_the_service_named_by_service_env():
    cmds = [args for keyword, args in dockerfile_instructions() if keyword in ("CMD", "ENTRYPOINT")]
    assert cmds, "the Dockerfile has no CMD"
    command = cmds[-1]
    assert "nameko run" in command and "--config config.yml" in command
    assert re.search(r"services\.\$\{?SERVICE\b", command), command


def test_dockerignore_keeps_local_state_out_of_the_image():
    entries = {line.strip().strip("/") for line in DOCKERIGNORE.read_text().splitlines()}
    for required in (".venv", "data", ".git"):
        assert required in entries, f".dockerignore misses {required}"
    assert "__pycache__" in entries or "**/__pycache__" in entries


def test_the_containerised_gateway_runs_in_production_with_a_secret_from_the_host(services):
    """Reachable on 0.0.0.0, so it must never fall back to development mode."""
    env = environment(services["gateway"])
    assert env["APP_ENV"] == "production"
    assert env["AUTH_TOKEN_SECRET"].startswith("${AUTH_TOKEN_SECRET:?")  # compose refuses to start without it


# --- broker users and event keys (docs/security.md) ---------------------------


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_is_its_own_broker_user_never_guest(services, name):
    env = environment(services[name])
    user = re.match(r"amqp://([^:@]+)", env["AMQP_URI"]).group(1)
    assert user == name
    assert env["APP_ENV"] == "production"  # so the process itself refuses guest and missing keys
    assert services[name]["depends_on"][BROKER_USERS]["condition"] == "service_completed_successfully"


def test_rabbitmq_has_no_guest_and_the_users_come_from_the_provisioning_script(services):
    rabbit = environment(services["rabbitmq"])
    assert rabbit["RABBITMQ_DEFAULT_USER"].startswith("${RABBITMQ_ADMIN_USER:?")
    provisioner = services[BROKER_USERS]
    assert provisioner["command"][-1] == "deploy.rabbitmq.provision"
    env = environment(provisioner)
    for name in SERVICE_NAMES:
        assert env[f"RABBITMQ_{name.upper()}_PASSWORD"].startswith(f"${{RABBITMQ_{name.upper()}_PASSWORD:?")


@pytest.mark.parametrize("name", [n for n in SERVICE_NAMES if n != "gateway"])
def test_each_publisher_signs_with_its_own_key_from_the_host(services, name):
    env = environment(services[name])
    assert env["EVENT_SIGNING_KEY"].startswith(f"${{{name.upper()}_EVENT_SIGNING_KEY:?")
    assert env["EVENT_VERIFY_KEYS"].startswith("${EVENT_VERIFY_KEYS:?")


@pytest.mark.parametrize("name", SERVICE_NAMES)
@pytest.mark.parametrize("key", ["EVENT_MAC_KEY", "CIPHER_KEY", "AUDIT_ANCHOR_KEY"])
def test_every_service_gets_its_store_keys_from_the_host(services, name, key):
    """Production refuses a store without them; compose stops first if one is unset."""
    assert environment(services[name])[key].startswith(f"${{{key}:?")


def test_compose_has_no_duplicate_keys():
    """YAML readers disagree on a repeated key (PyYAML keeps the last, compose refuses the file)."""

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = key_node.value
            assert key == "<<" or key not in seen, f"{key!r} repeated at line {key_node.start_mark.line + 1}"
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load(COMPOSE_FILE.read_text(), Loader=Strict)  # noqa: S506 - a SafeLoader subclass


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_containers_log_json_lines_by_default(services, name):
    assert environment(services[name])["LOG_FORMAT"] == "${LOG_FORMAT:-json}"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_process_serves_metrics_inside_the_network_only(services, name):
    assert environment(services[name])["METRICS_PORT"] == "${METRICS_PORT:-9100}"
    published = [str(port) for port in services[name].get("ports", [])]
    assert not [port for port in published if "9100" in port], published


# --- PostgreSQL roles (deploy/postgres) ---------------------------------------


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_is_its_own_postgres_role_never_the_administrator(services, name):
    env = environment(services[name])
    admin = environment(services["postgres"])["POSTGRES_USER"]
    assert env["POSTGRES_USER"] == name != admin  # its role is named as its schema (no prefix in compose)
    assert "POSTGRES_SCHEMA_PREFIX" not in env
    assert env["POSTGRES_PASSWORD"].startswith(f"${{POSTGRES_{name.upper()}_PASSWORD:?")
    assert services[name]["depends_on"][DATABASE_ROLES]["condition"] == "service_completed_successfully"


def test_no_two_services_share_a_postgres_role_or_password(services):
    users = [environment(services[name])["POSTGRES_USER"] for name in SERVICE_NAMES]
    passwords = [environment(services[name])["POSTGRES_PASSWORD"] for name in SERVICE_NAMES]
    assert len(set(users)) == len(users) and len(set(passwords)) == len(passwords)


def test_the_administrator_password_comes_from_the_host_and_only_the_roles_job_uses_it(services):
    admin = environment(services["postgres"])
    assert admin["POSTGRES_PASSWORD"].startswith("${POSTGRES_ADMIN_PASSWORD:?")
    job = services[DATABASE_ROLES]
    env = environment(job)
    assert job["command"][-1] == "deploy.postgres.provision"
    assert job["restart"] == "no"
    assert job["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert (env["POSTGRES_HOST"], env["POSTGRES_USER"]) == ("postgres", admin["POSTGRES_USER"])
    assert env["POSTGRES_DBNAME"] == admin["POSTGRES_DB"]
    assert env["POSTGRES_PASSWORD"] == admin["POSTGRES_PASSWORD"]
    for name in SERVICE_NAMES:
        assert env[f"POSTGRES_{name.upper()}_PASSWORD"] == environment(services[name])["POSTGRES_PASSWORD"]
        assert admin["POSTGRES_PASSWORD"] not in environment(services[name]).values()


def test_the_roles_job_provisions_every_service_that_opens_postgres():
    from deploy.postgres.provision import OWNERS
    from tools.backup import SCHEMA_OWNERS

    assert set(OWNERS) == set(SERVICE_NAMES) == set(SCHEMA_OWNERS)


def roles_sql_for(name: str) -> str:
    """roles.sql as run for one service (identifiers quoted as psycopg would)."""
    return ROLES_SQL.read_text().format(
        database='"postgres"',
        role=f'"{name}"',
        role_name=f"'{name}'",
        schema=f'"{name}"',
        schema_name=f"'{name}'",
        password="'SCRAM-SHA-256$...'",
    )


def sql_statements(script: str) -> list[str]:
    """Top-level statements, comments dropped, DO blocks kept whole."""
    text = re.sub(r"--[^\n]*", "", script)
    parts = re.split(r"(\$\w*\$.*?\$\w*\$)", text, flags=re.S)  # dollar-quoted bodies hold semicolons
    statements, current = [], ""
    for i, part in enumerate(parts):
        if i % 2:
            current += part
            continue
        pieces = part.split(";")
        current += pieces[0]
        for piece in pieces[1:]:
            statements.append(" ".join(current.split()))
            current = piece
    return [s for s in statements if s]


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_the_role_script_grants_a_service_its_own_schema_and_nothing_else(name):
    statements = sql_statements(roles_sql_for(name))
    grants = [s for s in statements if s.upper().startswith("GRANT")]
    assert grants == [f'GRANT CONNECT ON DATABASE "postgres" TO "{name}"'], grants
    assert f'CREATE SCHEMA IF NOT EXISTS "{name}" AUTHORIZATION "{name}"' in statements
    assert f'ALTER SCHEMA "{name}" OWNER TO "{name}"' in statements
    revokes = {s for s in statements if s.upper().startswith("REVOKE")}
    assert revokes == {
        'REVOKE ALL ON DATABASE "postgres" FROM PUBLIC',
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f'REVOKE ALL ON SCHEMA "{name}" FROM PUBLIC',
    }
    [alter_role] = [s for s in statements if s.upper().startswith("ALTER ROLE")]
    for attribute in ("NOSUPERUSER", "NOCREATEDB", "NOCREATEROLE", "NOINHERIT", "NOREPLICATION", "NOBYPASSRLS"):
        assert attribute in alter_role.split(), attribute
    # No other service's schema or role is named, and nothing is given to anyone but this role.
    script = " ".join(statements)
    for other in SERVICE_NAMES:
        if other != name:
            assert f'"{other}"' not in script and f"'{other}'" not in script, other
    assert len(re.findall(r"\bGRANT\b", script, flags=re.I)) == 1  # none inside the DO blocks either
    assert set(re.findall(r"OWNER TO ([^\s;,]+)", script)) <= {f'"{name}"', "%I'"}  # %I: the role, by format()
    assert not re.search(r"\b(SUPERUSER|CREATEROLE|CREATEDB|BYPASSRLS)\b", script.replace("NO", "no_"))
