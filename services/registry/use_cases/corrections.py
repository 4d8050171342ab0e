"""Correcting a fact of a file: an event with the old value, the new one and
the reason; the ID number moves its claim with it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.registry.domain.child import Child
from services.registry.use_cases.base import RegistryBase


class CorrectionUseCases(RegistryBase):
    def correct_child(self, child_id: UUID, *, field: str, value: Any, reason: str) -> dict[str, Any]:
        today = self.clock()

        def change(child: Child) -> list[Any]:
            old = getattr(child, field, None)
            child.correct(field=field, value=value, reason=reason, today=today, places=self.places)
            if field != "id_number":
                return []
            claims = [] if value is None else [self._claim(value, child.id)]
            previous = None if old is None else self._held_claim(old, child.id)
            if previous is not None:
                previous.release()
                claims.append(previous)
            return claims

        child = self._change_file(child_id, change)
        return {"child_id": child.id, "version": child.version}
