"""Operations routes: health and the API document (/openapi.json, and /docs:
Swagger UI from the pinned swagger-ui-dist, whose files the web app's build
copies to web/dist/docs/ and /app/docs/ serves, under the app's CSP)."""

from pathlib import Path

from kombu import Connection
from werkzeug.wrappers import Response

from services.gateway.schemas import HealthSchema
from services.gateway.web.app_pages import SECURITY_HEADERS
from services.gateway.web.openapi import build_spec
from services.gateway.web.routes import route
from services.gateway.web.upstream import bounded
from services.gateway.web.worker import json_response
from shared.config import SERVICES

HEALTH_TIMEOUT = 3.0
DOCS_PAGE = (Path(__file__).resolve().parent.parent / "static" / "docs.html").read_text(encoding="utf-8")


class OpsRoutes:
    @route("GET", "/health", summary="Each dependency's state", tag="ops", response=HealthSchema)
    def health(self, request):
        services = {service: self._service_health(service) for service in SERVICES}
        add_consumer_lag(services)
        rabbit = rabbitmq_state(self.settings.amqp_uri)
        healthy = rabbit["ok"] and all(
            s.get("store", {}).get("ok")
            and not s.get("attention")
            and not any(c.get("failure") for c in (s.get("consumers") or {}).values())
            and not (s.get("sealer") or {}).get("refused")
            for s in services.values()
        )
        own_sealer = gateway_sealer(self.store)
        healthy = healthy and not own_sealer["refused"]
        body = {
            "status": "ok" if healthy else "degraded",
            "rabbitmq": rabbit,
            "services": services,
            "gateway": {"sealer": own_sealer},
        }
        return json_response(body, 200 if healthy else 503)

    def _service_health(self, service: str) -> dict:
        try:
            return bounded(getattr(self, service).health, HEALTH_TIMEOUT, service)
        except Exception as error:  # noqa: BLE001 - report, don't fail, the health check
            return {"ok": False, "error": str(error)}

    @route("GET", "/openapi.json", summary="This document", tag="ops")
    def openapi(self, request):
        return json_response(build_spec())

    @route("GET", "/docs", summary="Interactive documentation (Swagger UI, HTML)", tag="ops")
    def docs(self, request):
        response = Response(DOCS_PAGE, mimetype="text/html")
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-cache"
        return response


def gateway_sealer(store) -> dict:
    """The gateway's own log's sealer, as the services report theirs."""
    sealer = store.plumbing.sealer
    return {"position": sealer.position, "checks_macs": sealer.checks_macs, "refused": sealer.refused}


def add_consumer_lag(services: dict) -> None:
    """A consumer's lag: how far the upstream's published events run ahead of
    what it has applied (in notification ids; the upstream relay's own lag is
    reported with the relay)."""
    for state in services.values():
        for upstream, consumer in (state.get("consumers") or {}).items():
            relay = (services.get(upstream) or {}).get("relay") or {}
            if "published" in relay:
                consumer["lag"] = max(relay["published"] - consumer["position"], 0)


def rabbitmq_state(amqp_uri: str) -> dict:
    try:
        with Connection(amqp_uri, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return {"ok": True}
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        return {"ok": False, "error": str(error)}
