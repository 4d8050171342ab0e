"""The gateway's HTTP wire: nameko's @http entrypoint answering JSON errors
(server), the route table and decorator (routes), the guard every route passes
(guard: token, role, scope, masking, child-read log), what a route handler's
`self` can do (worker: bounded RPC, forwarding, JSON answers), reading bodies
and query strings (inputs), Idempotency-Key, CORS, the OpenAPI document, and
errors as HTTP answers (http_errors) or as rebuilt from the services
(remote_errors)."""
