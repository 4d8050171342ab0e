"""Registry routes (DESIGN.md §5, registry row)."""
from services.gateway.base import json_response
from services.gateway.requests import validated_body
from services.gateway.routes import route
from services.registry.schemas import ChildFile, RegisterChildRequest, RegisteredChild


class RegistryRoutes:
    @route("POST", "/children", summary="Open a child's file", tag="registry",
           request=RegisterChildRequest, response=RegisteredChild, status=201, errors=(409, 422))
    def register_child(self, request):
        self.identify(request)
        body = validated_body(request, RegisterChildRequest(), self.settings.max_body_bytes)
        created = self.call("registry", "register_child", body)
        return json_response(created, 201, {"Location": f"/children/{created['child_id']}"})

    @route("GET", "/children/{child_id}", summary="A child's file", tag="registry",
           response=ChildFile, errors=(404,))
    def get_child(self, request, child_id):
        self.identify(request)
        return json_response(self.call("registry", "get_child", child_id))
