"""Errors the audit RPCs report."""

from shared.errors import InvalidInput, NotFound


class AggregateNotFound(NotFound):
    what = "aggregate"


class InvalidAuditRequest(InvalidInput):
    """A bad anchor, version, moment or range."""
