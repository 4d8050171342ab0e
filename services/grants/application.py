"""Grants use cases (the full domain arrives with its own issue)."""
from shared.eventstore import ServiceApplication


class GrantsApplication(ServiceApplication):
    name = "grants"
