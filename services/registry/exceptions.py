"""Errors the registry reports to callers (mapped to HTTP by the gateway)."""
from shared.errors import InvalidInput


class RegistryError(Exception):
    """Base class for registry errors."""


class ChildNotFound(RegistryError):
    def __init__(self, child_id):
        super().__init__(str(child_id))
        self.child_id = str(child_id)

    def __str__(self) -> str:
        return f"no child file with id {self.child_id}"


class DuplicateIdNumber(RegistryError):
    def __init__(self, existing_child_id):
        super().__init__(str(existing_child_id))
        self.existing_child_id = str(existing_child_id)

    def __str__(self) -> str:
        return f"a child file with this ID number already exists: {self.existing_child_id}"


class InvalidChild(InvalidInput, RegistryError):
    """A registry rule refused the data."""
