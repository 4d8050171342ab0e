"""Registry use cases: primitives in, primitives out."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.registry.domain import Child, IdNumberClaim
from services.registry.exceptions import ChildNotFound, DuplicateIdNumber
from services.registry.publishing import public_event
from shared.eventstore import ServiceApplication


class RegistryApplication(ServiceApplication):
    name = "registry"
    public_events = staticmethod(public_event)
    clock: Callable[[], date] = staticmethod(date.today)

    def register_child(
        self, *, name: str, gender: str, date_of_birth: date, id_number: str | None,
        town: str, village: str, categories: list[str],
    ) -> UUID:
        child = Child.register(
            today=self.clock(), name=name, gender=gender, date_of_birth=date_of_birth,
            id_number=id_number, town=town, village=village, categories=categories,
        )
        if id_number is None:
            self.save(child)
            return child.id
        self._refuse_known_id_number(id_number)
        claim = IdNumberClaim(id_number=id_number, child_id=child.id)
        try:
            self.save(child, claim)
        except IntegrityError:
            # Lost a race with a concurrent registration of the same number.
            self._refuse_known_id_number(id_number)
            raise
        return child.id

    def _refuse_known_id_number(self, id_number: str) -> None:
        try:
            claim = self.repository.get(IdNumberClaim.create_id(id_number))
        except AggregateNotFoundError:
            return
        raise DuplicateIdNumber(claim.child_id)

    def get_child(self, child_id: UUID) -> dict[str, Any]:
        try:
            child: Child = self.repository.get(child_id)
        except AggregateNotFoundError:
            raise ChildNotFound(child_id) from None
        if not isinstance(child, Child):
            raise ChildNotFound(child_id)
        return {
            "child_id": child.id,
            "name": child.name,
            "gender": child.gender,
            "date_of_birth": child.date_of_birth,
            "id_number": child.id_number,
            "without_household_registration": child.without_household_registration,
            "town": child.town,
            "village": child.village,
            "categories": child.categories,
            "registered_on": child.registered_on,
            "version": child.version,
            "created_on": child.created_on,
            "modified_on": child.modified_on,
        }
