"""Errors the registry reports to callers (mapped to HTTP by the gateway)."""
from shared.errors import Conflict, NotFound, RuleViolation


class ChildNotFound(NotFound):
    what = "child file"


class CampaignNotFound(NotFound):
    what = "screening campaign"


class DuplicateIdNumber(Conflict):
    code = "DUPLICATE_ID_NUMBER"

    def __init__(self, existing_child_id):
        super().__init__(str(existing_child_id))
        self.existing_child_id = str(existing_child_id)

    def __str__(self) -> str:
        return f"a child file with this ID number already exists: {self.existing_child_id}"

    def details(self) -> dict:
        return {"existing_child_id": self.existing_child_id}


class InvalidChild(RuleViolation):
    """A registry rule refused the data."""


class InvalidCampaign(RuleViolation):
    """A screening-campaign rule refused the data."""


class ConcurrentChange(Conflict):
    code = "CONCURRENT_CHANGE"

    def __init__(self, child_id):
        super().__init__(str(child_id))
        self.child_id = str(child_id)

    def __str__(self) -> str:
        return f"the file {self.child_id} kept changing under this request; try again"


class InvalidDismissal(RuleViolation):
    """A rule refused dismissing a duplicate candidate pair (or withdrawing it)."""


class DismissalNotFound(NotFound):
    what = "standing dismissal of a duplicate pair"


class PairAlreadyDismissed(Conflict):
    code = "PAIR_ALREADY_DISMISSED"

    def __init__(self, dismissal_id):
        super().__init__(str(dismissal_id))
        self.dismissal_id = str(dismissal_id)

    def __str__(self) -> str:
        return f"this pair is already dismissed as not the same child: {self.dismissal_id}"

    def details(self) -> dict:
        return {"dismissal_id": self.dismissal_id}
