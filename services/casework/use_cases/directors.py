"""Child directors (儿童主任) and their supervision and cross-learning sessions."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.casework.domain.directors import ChildDirector, Supervision
from services.casework.use_cases.base import CaseworkBase
from shared.errors import refuse


class DirectorUseCases(CaseworkBase):
    def appoint_director(self, *, name: str, town: str, village: str, phone: str | None, appointed_on: date) -> UUID:
        director = ChildDirector.appoint(
            today=self.clock(), name=name, town=town, village=village, phone=phone, appointed_on=appointed_on
        )
        return self._record_new(director, "child director")

    def list_directors(self, *, limit: int, after: str | None, **filters: Any) -> list[dict[str, Any]]:
        return self.directors_view.list(limit=limit, after=after, **filters)

    def hold_supervision(
        self,
        *,
        kind: str,
        held_on: date,
        contract_id: UUID | None,
        topic: str,
        supervisor: str,
        director_ids: list[UUID],
        duration_minutes: int,
        notes: str,
    ) -> UUID:
        villages, unknown = {}, []
        for director_id in director_ids:
            director = self.find(ChildDirector, director_id)
            if director is None:
                unknown.append(str(director_id))
            else:
                villages[director_id] = f"{director.town}/{director.village}"
        if unknown:
            refuse("director_ids", f"not child directors known here: {', '.join(unknown)}")
        supervision = Supervision.hold(
            today=self.clock(),
            director_villages=villages,
            kind=kind,
            held_on=held_on,
            contract_id=contract_id,
            topic=topic,
            supervisor=supervisor,
            director_ids=director_ids,
            duration_minutes=duration_minutes,
            notes=notes,
        )
        self.save_or_conflict(supervision)
        return supervision.id
