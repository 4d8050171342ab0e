"""nameko entrypoints for the registry: load → one application call → dump."""
from nameko.rpc import rpc

from services.registry.application import RegistryApplication
from services.registry.exceptions import ChildNotFound, DuplicateIdNumber, InvalidChild
from services.registry.schemas import ChildFile, RegisterChildRequest, RegisteredChild
from shared.errors import InvalidInput
from shared.nameko_deps import ServiceStore
from shared import service_base
from shared.validation import load_or_refuse, parse_uuid


class RegistryService(service_base.EventSourcedService):
    name = "registry"
    store = ServiceStore(RegistryApplication)

    @rpc(expected_exceptions=(InvalidInput, InvalidChild, DuplicateIdNumber))
    def register_child(self, data):
        request = load_or_refuse(RegisterChildRequest(), data)
        child_id = self.store.register_child(**request)
        return RegisteredChild().dump({"child_id": child_id})

    @rpc(expected_exceptions=(ChildNotFound,))
    def get_child(self, child_id):
        return ChildFile().dump(self.store.get_child(parse_uuid(child_id, ChildNotFound)))
