"""The errors the registry's domain raises (re-exported by
services/registry/exceptions.py, where callers import every registry error)."""

from typing import Any
from uuid import UUID

from shared.errors import Conflict, NotFound, RuleViolation


class InvalidChild(RuleViolation):
    """A registry rule refused the data."""


class InvalidCampaign(RuleViolation):
    """A screening-campaign rule refused the data."""


class InvalidDismissal(RuleViolation):
    """A rule refused dismissing a duplicate candidate pair (or withdrawing it)."""


class DismissalNotFound(NotFound):
    what = "standing dismissal of a duplicate pair"


class PairAlreadyDismissed(Conflict):
    code = "PAIR_ALREADY_DISMISSED"

    def __init__(self, dismissal_id: UUID | str):
        super().__init__(str(dismissal_id))
        self.dismissal_id = str(dismissal_id)

    def __str__(self) -> str:
        return f"this pair is already dismissed as not the same child: {self.dismissal_id}"

    def details(self) -> dict[str, Any]:
        return {"dismissal_id": self.dismissal_id}
