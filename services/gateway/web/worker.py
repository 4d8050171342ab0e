"""What every route handler's `self` is: RPC proxies with deadlines, the
caller's identity in the call context, the handled route (its declared
schemas), and the one way to forward a request to a service."""
from __future__ import annotations

import uuid
from typing import Any

from marshmallow import Schema
from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Response

from services.gateway.application import GatewayApplication
from services.gateway.web import inputs
from services.gateway.web.address_limit import FailedSignInBudget
from services.gateway.web.caller import Caller
from services.gateway.web.json_text import json_response
from services.gateway.web.remote_errors import register_remote_errors
from services.gateway.web.routes import Route
from services.gateway.web.server import CALLER_KEY
from services.gateway.web.upstream import bounded
from shared.config import load_auth_settings, load_settings
from shared.context import CallMeta
from shared.nameko_deps import CallerIdentity, CommandIdentity, ServiceStore
from shared.rpc_proxies import RpcProxy
from shared.validation import schema_of

# The services' errors come back over RPC as themselves (409, 422...), not as RemoteError (500).
register_remote_errors()

# Public routes (no token) still name their caller in the trail.
ANONYMOUS = ("anonymous", "anonymous")

__all__ = ["GatewayWorker", "json_response"]


class AuthSettingsProvider(DependencyProvider):
    """Reads the sign-in settings when the gateway starts, so a production
    gateway without a real secret refuses to start at all."""

    def setup(self):
        self.settings = load_auth_settings()

    def get_dependency(self, worker_ctx):
        return self.settings


class FailedSignInBudgetProvider(DependencyProvider):
    """One budget of failed sign-ins per client address for the whole process
    (a worker lives for one request)."""

    def setup(self):
        settings = load_auth_settings()
        self.budget = FailedSignInBudget(
            settings.failed_sign_ins_per_address_burst, settings.failed_sign_ins_per_address_per_minute
        )

    def get_dependency(self, worker_ctx):
        return self.budget


class GatewayWorker:
    registry = RpcProxy("registry")
    casework = RpcProxy("casework")
    grants = RpcProxy("grants")
    finance = RpcProxy("finance")
    act_as = CallerIdentity()
    issue_command = CommandIdentity()
    store = ServiceStore(GatewayApplication)
    auth = AuthSettingsProvider()
    failed_sign_ins = FailedSignInBudgetProvider()

    def __init__(self):
        self.settings = load_settings()
        self.caller: Caller | None = None  # set by the route guard once the token checks out
        self.route: Route | None = None  # set by @route before the handler runs
        self.path_values: dict[str, str] = {}  # set by @route with the route

    def caller_id(self) -> str:
        """Whose Idempotency-Keys these are: each user has their own."""
        return self.caller.user_id if self.caller else ANONYMOUS[0]

    def identify(self, request) -> str:
        """Put the caller, this request's correlation id and a command id into the
        call context (the route guard does, once per request). The command id
        is new for each request; under an Idempotency-Key it is the key's
        (services/gateway/web/idempotency.py), so a retry is the same command."""
        correlation_id = (request.headers.get("X-Request-Id") or uuid.uuid4().hex)[:100]
        who = (self.caller.username, self.caller.role) if self.caller else ANONYMOUS
        self.act_as(CallMeta(*who, correlation_id=correlation_id))
        request.environ[CALLER_KEY] = who  # for the request's access line (web/server.py)
        self.issue_command(uuid.uuid4().hex)
        return correlation_id

    def call(self, service: str, method: str, *args, **kwargs):
        """One RPC with a deadline (504) and a clear answer if the service is absent (503)."""
        proxy = getattr(self, service)
        return bounded(
            lambda: getattr(proxy, method)(*args, **kwargs), self.settings.rpc_timeout, service
        )

    # -- the request, as the route declares it ---------------------------------------

    def _declared(self, schema: type[Schema] | None, what: str) -> Schema:
        if schema is None:
            raise TypeError(f"{self.route.method} {self.route.path} declares no {what}")
        return schema_of(schema)

    def query_args(self, request) -> dict[str, str]:
        """The query string as sent, once it passes the route's query schema (400 if not)."""
        inputs.query(request, self._declared(self.route.query, "query"))
        return request.args.to_dict()

    def loaded_query(self, request) -> dict[str, Any]:
        """The query string as the route's query schema loads it (for routes the gateway answers itself)."""
        return inputs.query(request, self._declared(self.route.query, "query"))

    def loaded_body(self, request) -> dict[str, Any]:
        """The JSON body as the route's request schema loads it (for routes the gateway answers itself)."""
        return inputs.loaded_body(request, self._declared(self.route.request, "request body"),
                                  self.settings.max_body_bytes)

    def send(self, request, service: str, method: str, *args, location: str | None = None) -> Response:
        """Forward the request as its route declares it (the guard has identified
        the caller): one bounded call with the path values, then the query string
        if the route takes one, then the JSON body if it takes one, each checked
        at the edge with the service's own schema and forwarded as sent (the
        service loads it again: others call it too). The answer is JSON with the
        route's status and, for a create, the route's Location (`location`
        overrides it, e.g. "/cases/{id}")."""
        declared = self.route
        if declared.query is not None:
            args = (*args, self.query_args(request))
        if declared.request is not None:
            args = (*args, inputs.validated_body(request, declared.request(), self.settings.max_body_bytes))
        return self.reply(self.call(service, method, *args), location)

    def reply(self, data: dict, location: str | None = None) -> Response:
        """`data` as JSON with the route's status, and a create's Location filled
        from the path values and the answer."""
        declared = self.route
        if location:
            where = location.format(**{**self.path_values, **data})
        else:
            where = declared.location_of(self.path_values, data)
        return json_response(data, declared.status, {"Location": where} if where else None)
