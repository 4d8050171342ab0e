"""Service errors cross RPC as themselves, not as nameko's RemoteError: nameko
rebuilds a remote exception only if its class is registered on this side.
The modules below are where the services (and the shared plumbing) keep the
errors they raise; every ServiceError class found in them, whether defined
there or re-exported from a domain package, is registered."""
from __future__ import annotations

from types import ModuleType

from nameko.exceptions import deserialize_to_instance

import shared.audit.errors
import shared.errors
from services.casework import exceptions as casework_errors
from services.finance import exceptions as finance_errors
from services.grants import exceptions as grants_errors
from services.registry import exceptions as registry_errors
from shared.errors import ServiceError

ERROR_MODULES: tuple[ModuleType, ...] = (
    shared.errors, shared.audit.errors, registry_errors, grants_errors, casework_errors, finance_errors,
)


def service_errors(module: ModuleType) -> list[type[ServiceError]]:
    return [value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, ServiceError)]


def register_remote_errors() -> None:
    for module in ERROR_MODULES:
        for error in service_errors(module):
            deserialize_to_instance(error)
