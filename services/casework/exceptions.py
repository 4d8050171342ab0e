"""Errors casework reports to callers."""
from shared.errors import NotFound


class RosterChildNotFound(NotFound):
    what = "child known to casework"
