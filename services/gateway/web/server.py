"""nameko's HTTP entrypoint with JSON errors everywhere, including for unknown
routes and wrong methods (which werkzeug would answer in HTML), and requests
received in full, within a deadline, before a worker is taken (receiving.py).

Each request is one access line (INFO, `nameko.web.server`) carrying the
request's correlation id and the caller who signed in (shared/logs.py): the
id is settled here, before the worker, so the worker and the line agree."""

from __future__ import annotations

import uuid
from functools import partial
from logging import getLogger

from eventlet import wsgi
from eventlet.event import Event
from eventlet.greenpool import GreenPool
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from services.gateway.web import app_pages, cors, uploads
from services.gateway.web.http_errors import GatewayError, response_for
from services.gateway.web.read_pool import is_read, spawn_worker_in
from services.gateway.web.receiving import DeadlineProtocol, receive_body
from shared import metrics
from shared.config import load_settings
from shared.context import CallMeta, set_current_meta

# The access line: the JSON line has the time, so no date here.
ACCESS_LINE = '%(client_ip)s "%(request_line)s" %(status_code)s %(body_length)s %(wall_seconds).6f'
# The matched route's template (/children/<child_id>), for the request's metrics.
ROUTE_KEY = "gateway.route"
# Where the worker leaves (username, role) of the caller it identified (worker.py).
CALLER_KEY = "gateway.caller"
MAX_REQUEST_ID = 100


def settle_request_id(environ) -> str:
    """The client's X-Request-Id (cut to 100 characters), or a new one, put
    back in the request so the worker takes the same."""
    request_id = (environ.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex)[:MAX_REQUEST_ID]
    environ["HTTP_X_REQUEST_ID"] = request_id
    return request_id


class JsonWsgiApp(WsgiApp):
    def __init__(self, server):
        super().__init__(server)
        settings = load_settings()
        self.origins = settings.cors_origins
        self.max_body_bytes = settings.max_body_bytes
        self.roster_max_bytes = max(settings.upload_max_bytes, settings.max_body_bytes)
        self.attachment_max_bytes = uploads.max_bytes()
        self.receive_seconds = settings.request_receive_seconds

    def __call__(self, environ, start_response):
        # This greenlet writes the access line once the answer is sent: it
        # carries the request's id, and its caller once the worker knows them.
        request_id = settle_request_id(environ)
        set_current_meta(CallMeta("anonymous", "anonymous", correlation_id=request_id))
        elapsed = metrics.timed()
        status = [500]

        def answered(line, headers, exc_info=None):
            status[0] = int(line.split(" ", 1)[0])
            return start_response(line, headers, exc_info)

        try:
            return self.answer(environ, answered)
        finally:
            if CALLER_KEY in environ:
                set_current_meta(CallMeta(*environ[CALLER_KEY], correlation_id=request_id))
            metrics.observe_request(environ.get("REQUEST_METHOD", "?"), environ.get(ROUTE_KEY, "unmatched"),
                                    status[0], elapsed())

    def answer(self, environ, start_response):
        try:
            receive_body(environ, self.body_limit(environ), self.receive_seconds)
            refused = None
        except GatewayError as error:
            refused = response_for(error)
        request = Request(environ, shallow=True)
        if refused is None and app_pages.is_app_path(request.path):
            environ[ROUTE_KEY] = "/app"
            return app_pages.answer(request)(environ, start_response)
        response = refused or cors.preflight(request, self.origins)
        if response is None:
            adapter = self.url_map.bind_to_environ(environ)
            try:
                provider, values = adapter.match()
                environ[ROUTE_KEY] = provider.url  # the route's template: a bounded metrics label
                request.path_values = values
                response = provider.handle_request(request)
            except HTTPException as exc:
                response = response_for(exc)
        return cors.decorate(response, request, self.origins)(environ, start_response)


    def body_limit(self, environ) -> int:
        """A roster takes UPLOAD_MAX_BYTES, an attachment ATTACHMENT_MAX_BYTES;
        every other request MAX_BODY_BYTES (uploads.py)."""
        if uploads.is_roster(environ):
            return self.roster_max_bytes
        if uploads.is_attachment(environ):
            return self.attachment_max_bytes
        return self.max_body_bytes


class JsonWebServer(WebServer):
    """One per gateway process; it also keeps the pool the GET routes' workers
    run in (read_pool.py), beside nameko's pool for every other worker."""

    def setup(self):
        super().setup()
        self.read_pool = GreenPool(size=load_settings().read_workers)

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
            log_format=ACCESS_LINE,
            keepalive=settings.http_idle_seconds,
            # each send and receive; a client that stops reading its answer is let go
            socket_timeout=settings.http_idle_seconds,
        )
        server.receive_seconds = settings.request_receive_seconds
        server.idle_seconds = settings.http_idle_seconds
        return server


class HttpEntrypoint(HttpRequestHandler):
    server = JsonWebServer()

    def handle_request(self, request):
        """nameko's (2.14), except that a GET route's worker comes from the
        server's read pool, so it never waits for a slot a command holds."""
        request.shallow = False
        try:
            context_data = self.server.context_data_from_headers(request)
            args, kwargs = self.get_entrypoint_parameters(request)
            self.check_signature(args, kwargs)
            event = Event()
            handle_result = partial(self.handle_result, event)
            if is_read(self.method):
                spawn_worker_in(self.server.read_pool, self.container, self, args, kwargs,
                                context_data=context_data, handle_result=handle_result)
            else:
                self.container.spawn_worker(self, args, kwargs, context_data=context_data,
                                            handle_result=handle_result)
            response = self.response_from_result(event.wait())
        except Exception as exc:
            response = self.response_from_exception(exc)
        return response

    def stop(self):
        """As nameko waits for its pool's workers before stopping the
        dependencies, wait for the reads in flight."""
        super().stop()
        self.server.read_pool.waitall()

    def response_from_exception(self, exc):
        return response_for(exc)


http = HttpEntrypoint.decorator
