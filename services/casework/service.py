"""nameko entrypoints for casework."""
from nameko.events import event_handler
from nameko.rpc import rpc

from services.casework.application import CaseworkApplication
from services.casework.exceptions import RosterChildNotFound
from services.casework.schemas import RosterChildSchema, RosterPage
from shared.nameko_deps import ConsumerFeed, ServiceStore
from shared.pagination import page
from shared import service_base
from shared.validation import parse_uuid


class CaseworkService(service_base.EventSourcedService):
    name = "casework"
    store = ServiceStore(CaseworkApplication)
    registry_feed = ConsumerFeed("registry", "handle_registry_event")

    @event_handler("registry", "#")
    def on_registry_event(self, message):
        self.registry_feed.receive(message)

    @rpc(expected_exceptions=(RosterChildNotFound,))
    def get_roster_child(self, child_id):
        found = self.store.get_roster_child(parse_uuid(child_id, RosterChildNotFound))
        return RosterChildSchema().dump(found)

    @rpc
    def list_roster(self, limit=50, cursor=None):
        rows = self.store.list_roster(limit=limit + 1, after=cursor)
        return RosterPage().dump(page(rows, limit, key="child_id"))
