"""Errors casework reports to callers."""


class CaseworkError(Exception):
    """Base class for casework errors."""


class RosterChildNotFound(CaseworkError):
    def __init__(self, child_id):
        super().__init__(str(child_id))
        self.child_id = str(child_id)

    def __str__(self) -> str:
        return f"casework knows no child with id {self.child_id}"
