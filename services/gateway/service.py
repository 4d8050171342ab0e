"""The gateway: REST + JSON for web clients, RPC to the services."""
from __future__ import annotations

import json
import uuid

from kombu import Connection
from nameko.rpc import RpcProxy
from werkzeug.wrappers import Response

from services.casework.schemas import RosterChildSchema, RosterPage
from services.gateway.openapi import build_spec
from services.gateway.requests import query, validated_body
from services.gateway.routes import route
from services.gateway.schemas import HealthSchema, PageQuery
from services.gateway.upstream import bounded
from services.registry.schemas import ChildFile, RegisterChildRequest, RegisteredChild
from shared.config import SERVICES, load_settings
from shared.context import CallMeta
from shared.nameko_deps import CallerIdentity

# Until authentication lands every caller is anonymous, but still named.
ANONYMOUS = ("anonymous", "anonymous")


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json", headers=headers)


class GatewayService:
    name = "gateway"

    registry = RpcProxy("registry")
    casework = RpcProxy("casework")
    grants = RpcProxy("grants")
    finance = RpcProxy("finance")
    act_as = CallerIdentity()

    def __init__(self):
        self.settings = load_settings()

    def _call(self, service: str, method: str, *args):
        proxy = getattr(self, service)
        return bounded(lambda: getattr(proxy, method)(*args), self.settings.rpc_timeout, service)

    def _identify(self, request) -> str:
        correlation_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        self.act_as(CallMeta(*ANONYMOUS, correlation_id=correlation_id[:100]))
        return correlation_id

    @route("POST", "/children", summary="Open a child's file", tag="registry",
           request=RegisterChildRequest, response=RegisteredChild, status=201, errors=(409, 422))
    def register_child(self, request):
        self._identify(request)
        body = validated_body(request, RegisterChildRequest(), self.settings.max_body_bytes)
        created = self._call("registry", "register_child", body)
        return json_response(created, 201, {"Location": f"/children/{created['child_id']}"})

    @route("GET", "/children/{child_id}", summary="A child's file", tag="registry",
           response=ChildFile, errors=(404,))
    def get_child(self, request, child_id):
        self._identify(request)
        return json_response(self._call("registry", "get_child", child_id))

    @route("GET", "/casework/children", summary="Children known to casework", tag="casework",
           query=PageQuery, response=RosterPage, errors=(400,))
    def list_casework_children(self, request):
        self._identify(request)
        page = query(request, PageQuery())
        return json_response(self._call("casework", "list_roster", page["limit"], page["cursor"]))

    @route("GET", "/casework/children/{child_id}", summary="A child as casework knows it",
           tag="casework", response=RosterChildSchema, errors=(404,))
    def get_casework_child(self, request, child_id):
        self._identify(request)
        return json_response(self._call("casework", "get_roster_child", child_id))

    @route("GET", "/health", summary="Each dependency's state", tag="ops", response=HealthSchema)
    def health(self, request):
        services = {}
        for service in SERVICES:
            try:
                services[service] = bounded(
                    lambda s=service: getattr(self, s).health(), 3.0, service
                )
            except Exception as error:  # noqa: BLE001 - report, don't fail, the health check
                services[service] = {"ok": False, "error": str(error)}
        _add_consumer_lag(services)
        rabbit = _rabbitmq_state(self.settings.amqp_uri)
        healthy = rabbit["ok"] and all(
            s.get("store", {}).get("ok") for s in services.values()
        )
        body = {"status": "ok" if healthy else "degraded", "rabbitmq": rabbit, "services": services}
        return json_response(body, 200 if healthy else 503)

    @route("GET", "/openapi.json", summary="This document", tag="ops")
    def openapi(self, request):
        return json_response(build_spec())


def _add_consumer_lag(services: dict) -> None:
    """A consumer's lag: how far the upstream's published events run ahead of
    what it has applied (in notification ids; the upstream relay's own lag is
    reported with the relay)."""
    for state in services.values():
        for upstream, consumer in (state.get("consumers") or {}).items():
            relay = (services.get(upstream) or {}).get("relay") or {}
            if "published" in relay:
                consumer["lag"] = max(relay["published"] - consumer["position"], 0)


def _rabbitmq_state(amqp_uri: str) -> dict:
    try:
        with Connection(amqp_uri, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return {"ok": True}
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        return {"ok": False, "error": str(error)}
