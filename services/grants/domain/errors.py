"""The errors grants' own rules raise. Callers import every grants error from
services.grants.exceptions, which re-exports these."""

from typing import Any

from shared.errors import Conflict, RuleViolation


class GrantsRuleViolation(RuleViolation):
    """A grants rule refused the request; `fields` says which rule and why."""


class WrongState(Conflict):
    """The record is not in a state that allows the action."""

    code = "WRONG_STATE"

    def __init__(self, record: str, state: str, action: str):
        super().__init__(record, state, action)
        self.record, self.state, self.action = record, state, action

    def __str__(self) -> str:
        return f"{self.record} is {self.state}: cannot {self.action}"

    def details(self) -> dict[str, Any]:
        return {"state": self.state}
