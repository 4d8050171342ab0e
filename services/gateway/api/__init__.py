"""The REST routes, one class per area (composed in service.py); each route
declares its shapes and status once in @route (web/routes.py)."""
