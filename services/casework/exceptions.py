"""Errors casework reports to callers (mapped to HTTP by the gateway)."""
from shared.errors import Conflict, NotFound, RuleViolation


class RosterChildNotFound(NotFound):
    what = "child known to casework"


class CaseNotFound(NotFound):
    what = "case"


class GroupNotFound(NotFound):
    what = "group"


class ActivityNotFound(NotFound):
    what = "activity"


class DirectorNotFound(NotFound):
    what = "child director"


class OrganizationNotFound(NotFound):
    what = "community social organisation"


class Refused(RuleViolation):
    """A casework rule refused the request; `fields` says which field and why."""


def refuse(field: str, reason: str) -> Refused:
    return Refused({field: [reason]})


class CaseAlreadyOpen(Conflict):
    code = "CASE_ALREADY_OPEN"

    def __init__(self, existing_case_id):
        super().__init__(str(existing_case_id))
        self.existing_case_id = str(existing_case_id)

    def __str__(self) -> str:
        return f"the child already has an open case: {self.existing_case_id}"

    def details(self) -> dict:
        return {"existing_case_id": self.existing_case_id}


class CaseClosed(Conflict):
    code = "CASE_CLOSED"

    def __init__(self, case_id):
        super().__init__(str(case_id))
        self.case_id = str(case_id)

    def __str__(self) -> str:
        return f"case {self.case_id} is closed; nothing more can be recorded on it"

    def details(self) -> dict:
        return {"case_id": self.case_id}


class MonthlyThemeTaken(Conflict):
    code = "MONTHLY_THEME_TAKEN"

    def __init__(self, month: str, theme: str):
        super().__init__(month, theme)
        self.month = month
        self.theme = theme

    def __str__(self) -> str:
        return f"the 塞上护童 theme for {self.month} is already {self.theme!r}; one theme a month"

    def details(self) -> dict:
        return {"month": self.month, "theme": self.theme}


class AlreadyRecorded(Conflict):
    """A record with the same identifying details exists (director, organisation)."""

    code = "ALREADY_RECORDED"

    def __init__(self, what: str, existing_id):
        super().__init__(what, str(existing_id))
        self.what = what
        self.existing_id = str(existing_id)

    def __str__(self) -> str:
        return f"this {self.what} is already recorded: {self.existing_id}"

    def details(self) -> dict:
        return {"existing_id": self.existing_id}


class ContractNotFound(NotFound):
    what = "contract"


class ConcurrentChange(Conflict):
    """Another request changed the same record first; nothing was saved."""

    code = "CONCURRENT_CHANGE"

    def __init__(self, what: str = "record"):
        super().__init__(what)
        self.what = what

    def __str__(self) -> str:
        return f"the {self.what} was changed by another request at the same moment; nothing was saved, try again"
