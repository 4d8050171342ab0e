"""Errors the gateway's domain raises (services/gateway/exceptions.py
re-exports them with the rest of the gateway's errors)."""

from shared.errors import InvalidInput


class InvalidAccountDetails(InvalidInput):
    """An account's role, scope or password is not acceptable; `fields` says which and why."""
