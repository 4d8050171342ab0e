"""Casework's own knowledge of registered children (its roster), learnt from
the registry's public events. Standard library and eventsourcing.domain only."""
from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event


class RosterChild(Aggregate):
    """A child casework may serve; the id is the registry's child id."""

    @staticmethod
    def create_id(child_id: uuid.UUID) -> uuid.UUID:
        return child_id

    @event("Enrolled")
    def __init__(
        self, child_id: uuid.UUID, name: str, date_of_birth: date,
        town: str, village: str, categories: list[str],
    ):
        self.name = name
        self.date_of_birth = date_of_birth
        self.town = town
        self.village = village
        self.categories = list(categories)
