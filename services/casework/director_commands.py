"""Use cases for child directors and their supervision."""
from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.casework.directors import ChildDirector, Supervision
from services.casework.exceptions import AlreadyRecorded, refuse


class DirectorCommands:
    def appoint_director(self, *, name: str, town: str, village: str, phone: str | None,
                         appointed_on: date) -> UUID:
        director = ChildDirector.appoint(today=self.clock(), name=name, town=town, village=village,
                                         phone=phone, appointed_on=appointed_on)
        try:
            self.save(director)
        except IntegrityError:
            raise AlreadyRecorded("child director", director.id) from None
        return director.id

    def list_directors(self, *, limit: int, after: str | None, **filters: Any) -> list[dict[str, Any]]:
        return self.directors_view.list(limit=limit, after=after, **filters)

    def hold_supervision(self, *, kind: str, held_on: date, contract_id: UUID | None, topic: str,
                         supervisor: str, director_ids: list[UUID], duration_minutes: int,
                         notes: str) -> UUID:
        villages, unknown = {}, []
        for director_id in director_ids:
            try:
                director = self.repository.get(director_id)
            except AggregateNotFoundError:
                director = None
            if isinstance(director, ChildDirector):
                villages[director_id] = f"{director.town}/{director.village}"
            else:
                unknown.append(str(director_id))
        if unknown:
            raise refuse("director_ids", f"not child directors known here: {', '.join(unknown)}")
        supervision = Supervision.hold(
            today=self.clock(), director_villages=villages, kind=kind, held_on=held_on,
            contract_id=contract_id, topic=topic, supervisor=supervisor, director_ids=director_ids,
            duration_minutes=duration_minutes, notes=notes,
        )
        self.commit(supervision)
        return supervision.id
