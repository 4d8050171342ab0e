"""nameko entrypoints for grants."""
from services.grants.application import GrantsApplication
from shared.nameko_deps import ServiceStore
from shared import service_base


class GrantsService(service_base.EventSourcedService):
    name = "grants"
    store = ServiceStore(GrantsApplication)
