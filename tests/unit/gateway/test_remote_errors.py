"""Every error a service raises comes back over RPC as itself (so the gateway
answers 404/409/422 with its code), not as nameko's RemoteError (a 500). The
gateway registers them from a fixed list of modules; this walks the services'
exceptions modules and domain packages to check none is missing."""

import importlib
from pathlib import Path

import pytest
from nameko.exceptions import RemoteError, deserialize, registry, serialize

from services.gateway.web import worker  # noqa: F401 - registers the remote errors on import
from services.gateway.web.remote_errors import ERROR_MODULES, service_errors
from shared.errors import ConcurrentChange, NotFound, ServiceError

ROOT = Path(__file__).resolve().parents[3]


def modules_holding_service_errors() -> list[str]:
    paths = [
        *ROOT.glob("services/*/exceptions.py"),
        *ROOT.glob("services/*/domain/**/*.py"),
        *ROOT.glob("shared/**/errors.py"),
    ]
    names = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts) for p in paths)
    return [name.removesuffix(".__init__") for name in names if not name.startswith("services.gateway.")]


def defined_errors() -> list[type[ServiceError]]:
    found = []
    for name in modules_holding_service_errors():
        module = importlib.import_module(name)
        found += [e for e in service_errors(module) if e.__module__ == module.__name__]
    return found


def path_of(error: type) -> str:
    return f"{error.__module__}.{error.__name__}"


def test_every_error_a_service_defines_is_registered():
    errors = defined_errors()
    assert len(errors) > 20
    missing = [path_of(e) for e in errors if registry.get(path_of(e)) is not e]
    assert missing == []


def test_the_list_names_each_services_errors_and_the_shared_ones():
    names = {module.__name__ for module in ERROR_MODULES}
    assert names == {
        "shared.errors",
        "shared.audit.errors",
        "services.registry.exceptions",
        "services.grants.exceptions",
        "services.casework.exceptions",
        "services.finance.exceptions",
    }


@pytest.mark.parametrize("error", [ConcurrentChange("call"), NotFound("c-1")])
def test_a_service_error_crosses_rpc_as_itself(error):
    crossed = deserialize(serialize(error))
    assert type(crossed) is type(error) and str(crossed) == str(error)


def test_an_unregistered_error_would_cross_as_a_remote_error():
    class NotRegistered(ServiceError):
        pass

    assert isinstance(deserialize(serialize(NotRegistered("x"))), RemoteError)
