"""nameko's HTTP entrypoint with JSON errors everywhere, including for unknown
routes and wrong methods (which werkzeug would answer in HTML)."""
from __future__ import annotations

from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from services.gateway.web import app_pages, cors
from services.gateway.web.http_errors import response_for
from shared.config import load_settings


class JsonWsgiApp(WsgiApp):
    def __init__(self, server):
        super().__init__(server)
        self.origins = load_settings().cors_origins

    def __call__(self, environ, start_response):
        request = Request(environ, shallow=True)
        if app_pages.is_app_path(request.path):
            return app_pages.answer(request)(environ, start_response)
        response = cors.preflight(request, self.origins)
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


class HttpEntrypoint(HttpRequestHandler):
    server = JsonWebServer()

    def response_from_exception(self, exc):
        return response_for(exc)


http = HttpEntrypoint.decorator
