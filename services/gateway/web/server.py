"""nameko's HTTP entrypoint with JSON errors everywhere, including for unknown
routes and wrong methods (which werkzeug would answer in HTML), and requests
received in full, within a deadline, before a worker is taken (receiving.py)."""

from __future__ import annotations

from logging import getLogger

from eventlet import wsgi
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from services.gateway.web import app_pages, cors, uploads
from services.gateway.web.http_errors import GatewayError, response_for
from services.gateway.web.receiving import DeadlineProtocol, receive_body
from shared.config import load_settings


class JsonWsgiApp(WsgiApp):
    def __init__(self, server):
        super().__init__(server)
        settings = load_settings()
        self.origins = settings.cors_origins
        self.max_body_bytes = settings.max_body_bytes
        self.receive_seconds = settings.request_receive_seconds
        self.upload_max_bytes = uploads.max_bytes()

    def __call__(self, environ, start_response):
        try:
            limit = self.upload_max_bytes if uploads.is_upload(environ) else self.max_body_bytes
            receive_body(environ, limit, self.receive_seconds)
            refused = None
        except GatewayError as error:
            refused = response_for(error)
        request = Request(environ, shallow=True)
        if refused is None and app_pages.is_app_path(request.path):
            return app_pages.answer(request)(environ, start_response)
        response = refused or cors.preflight(request, self.origins)
        if response is None:
            adapter = self.url_map.bind_to_environ(environ)
            try:
                provider, values = adapter.match()
                request.path_values = values
                response = provider.handle_request(request)
            except HTTPException as exc:
                response = response_for(exc)
        return cors.decorate(response, request, self.origins)(environ, start_response)


class JsonWebServer(WebServer):
    def get_wsgi_app(self):
        return JsonWsgiApp(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=DeadlineProtocol, debug=False):
        settings = load_settings()
        server = wsgi.Server(
            sock,
            sock.getsockname(),
            wsgi_app,
            protocol=protocol,
            debug=debug,
            log=getLogger("nameko.web.server"),
            keepalive=settings.http_idle_seconds,
            # each send and receive; a client that stops reading its answer is let go
            socket_timeout=settings.http_idle_seconds,
        )
        server.receive_seconds = settings.request_receive_seconds
        server.idle_seconds = settings.http_idle_seconds
        return server


class HttpEntrypoint(HttpRequestHandler):
    server = JsonWebServer()

    def response_from_exception(self, exc):
        return response_for(exc)


http = HttpEntrypoint.decorator
