"""Casework routes (DESIGN.md §5, casework row)."""
from services.casework.schemas import RosterChildSchema, RosterPage
from services.gateway.base import json_response
from services.gateway.requests import query
from services.gateway.routes import route
from services.gateway.schemas import PageQuery


class CaseworkRoutes:
    @route("GET", "/casework/children", summary="Children known to casework", tag="casework",
           query=PageQuery, response=RosterPage, errors=(400,))
    def list_casework_children(self, request):
        self.identify(request)
        page = query(request, PageQuery())
        return json_response(self.call("casework", "list_roster", page["limit"], page["cursor"]))

    @route("GET", "/casework/children/{child_id}", summary="A child as casework knows it",
           tag="casework", response=RosterChildSchema, errors=(404,))
    def get_casework_child(self, request, child_id):
        self.identify(request)
        return json_response(self.call("casework", "get_roster_child", child_id))
