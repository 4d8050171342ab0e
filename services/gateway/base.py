"""What every gateway route module builds on: RPC proxies with deadlines, the
caller's identity in the call context, JSON responses."""
from __future__ import annotations

import json
import uuid

from nameko.rpc import RpcProxy
from werkzeug.wrappers import Response

from services.gateway.application import GatewayApplication
from services.gateway.auth import AuthSettingsProvider
from services.gateway.caller import Caller
from services.gateway.requests import validated_body
from services.gateway.upstream import bounded
from shared.config import load_settings
from shared.context import CallMeta
from shared.nameko_deps import CallerIdentity, ServiceStore

# Public routes (no token) still name their caller in the trail.
ANONYMOUS = ("anonymous", "anonymous")


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json", headers=headers)


class GatewayBase:
    registry = RpcProxy("registry")
    casework = RpcProxy("casework")
    grants = RpcProxy("grants")
    finance = RpcProxy("finance")
    act_as = CallerIdentity()
    store = ServiceStore(GatewayApplication)
    auth = AuthSettingsProvider()

    def __init__(self):
        self.settings = load_settings()
        self.caller: Caller | None = None  # set by the route guard once the token checks out

    def caller_id(self) -> str:
        """Whose Idempotency-Keys these are: each user has their own."""
        return self.caller.user_id if self.caller else ANONYMOUS[0]

    def call(self, service: str, method: str, *args, **kwargs):
        """One RPC with a deadline (504) and a clear answer if the service is absent (503)."""
        proxy = getattr(self, service)
        return bounded(
            lambda: getattr(proxy, method)(*args, **kwargs), self.settings.rpc_timeout, service
        )

    def send(self, request, body_schema, service: str, method: str, *args,
             status: int = 200, location: str | None = None):
        """The common route (the guard has identified the caller): validate the
        JSON body at the edge (if the route takes one) with the service's own
        schema, make one bounded call with the path values then the body,
        answer in JSON. `location` is formatted with the answer, e.g. "/cases/{case_id}"."""
        if body_schema is not None:
            args = (*args, validated_body(request, body_schema(), self.settings.max_body_bytes))
        answer = self.call(service, method, *args)
        headers = {"Location": location.format(**answer)} if location else None
        return json_response(answer, status, headers)

    def identify(self, request) -> str:
        """Put the caller and this request's correlation id into the call context
        (the route guard does, once per request)."""
        correlation_id = (request.headers.get("X-Request-Id") or uuid.uuid4().hex)[:100]
        who = (self.caller.username, self.caller.role) if self.caller else ANONYMOUS
        self.act_as(CallMeta(*who, correlation_id=correlation_id))
        return correlation_id
