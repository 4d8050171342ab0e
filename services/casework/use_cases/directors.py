"""Child directors (儿童主任) and their supervision and cross-learning sessions
(line 5), and the provider's own supervision team (§五.(三).3)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.casework.domain.directors import ChildDirector, Supervision
from services.casework.domain.funds import ContractScope
from services.casework.domain.project_supervision import ProjectSupervision
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

    def list_supervisions(
        self,
        *,
        limit: int,
        after: str | None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> tuple[list[dict[str, Any]], int]:
        """Directors' supervision and cross-learning sessions held, now or as
        they stood (shared/past_registers.py); with the position read at."""
        return self.past.read(
            self.supervisions_view,
            as_of,
            as_of_position,
            lambda view, _day: view.list_supervisions(limit=limit, after=after, **filters),
        )

    def list_project_supervisions(
        self,
        *,
        limit: int,
        after: str | None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> tuple[list[dict[str, Any]], int]:
        """The provider's supervision team's sessions, now or as they stood."""
        return self.past.read(
            self.supervisions_view,
            as_of,
            as_of_position,
            lambda view, _day: view.list_project_supervisions(limit=limit, after=after, **filters),
        )

    def hold_project_supervision(
        self,
        *,
        contract_id: UUID | None,
        format: str,
        focus: list[str],
        held_on: date,
        topic: str,
        supervisor: str,
        staff_attending: int,
        duration_minutes: int,
        notes: str,
    ) -> UUID:
        """A consultation or training the provider's supervision team gave its
        staff (卫沙民社函〔2025〕11号 §五.(三).3)."""
        scope = None if contract_id is None else self.find(ContractScope, ContractScope.create_id(contract_id))
        session = ProjectSupervision.hold(
            today=self.clock(),
            period=None if scope is None else (scope.period_start, scope.period_end),
            contract_id=contract_id,
            format=format,
            focus=focus,
            held_on=held_on,
            topic=topic,
            supervisor=supervisor,
            staff_attending=staff_attending,
            duration_minutes=duration_minutes,
            notes=notes,
        )
        self.save_or_conflict(session)
        return session.id
