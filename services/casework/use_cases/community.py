"""Group work (小组), community activities (社区, incl. the monthly 塞上护童
theme), life care and age-appropriate services, and the community social
organisations the project nurtures."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from services.casework.domain.activities import Activity, MonthlyTheme, month_of
from services.casework.domain.care import CareService
from services.casework.domain.directors import CommunityOrganization
from services.casework.domain.groups import Group
from services.casework.domain.roster import RosterChild
from services.casework.domain.rules import age_on
from services.casework.exceptions import GroupNotFound, MonthlyThemeTaken
from services.casework.use_cases.base import CaseworkBase
from shared.errors import refuse
from shared.vocabulary import SERVICE_LINES


class CommunityUseCases(CaseworkBase):
    # Groups -----------------------------------------------------------------
    def _group(self, group_id: UUID) -> Group:
        return self.load(Group, group_id, GroupNotFound)

    def _within_age_band(self, children: list[RosterChild], min_age: int, max_age: int, on: date, field: str) -> None:
        outside = [
            f"{c.id} is {age_on(c.date_of_birth, on)}"
            for c in children
            if not min_age <= age_on(c.date_of_birth, on) <= max_age
        ]
        if outside:
            refuse(field, f"outside the age band {min_age}-{max_age}: {'; '.join(outside)}")

    def form_group(
        self,
        *,
        name: str,
        purpose: str,
        service_line: str,
        contract_id: UUID | None,
        min_age: int,
        max_age: int,
        formed_on: date,
        worker: str,
        member_ids: list[UUID],
    ) -> UUID:
        self._contract_takes_work(contract_id)
        group = Group.form(
            today=self.clock(),
            service_lines=SERVICE_LINES,
            name=name,
            purpose=purpose,
            service_line=service_line,
            contract_id=contract_id,
            min_age=min_age,
            max_age=max_age,
            formed_on=formed_on,
            worker=worker,
            member_ids=member_ids,
        )
        children = self._children_in_programme(member_ids, "member_ids")
        self._within_age_band(children, min_age, max_age, formed_on, "member_ids")
        self.save_or_conflict(group)
        return group.id

    def add_group_members(self, group_id: UUID, *, child_ids: list[UUID]) -> None:
        group = self._group(group_id)
        children = self._children_in_programme(child_ids, "child_ids")
        self._within_age_band(children, group.min_age, group.max_age, self.clock(), "child_ids")
        group.add_members(child_ids=child_ids)
        self.save_or_conflict(group)

    def record_group_session(
        self,
        group_id: UUID,
        *,
        held_on: date,
        topic: str,
        worker: str,
        duration_minutes: int,
        attended_child_ids: list[UUID],
    ) -> UUID:
        group = self._group(group_id)
        self._contract_takes_work(group.contract_id)
        self._children_in_programme(attended_child_ids, "attended_child_ids")
        session_id = uuid.uuid4()
        group.hold_session(
            today=self.clock(),
            session_id=session_id,
            held_on=held_on,
            topic=topic,
            worker=worker,
            duration_minutes=duration_minutes,
            attended_child_ids=attended_child_ids,
        )
        self.save_or_conflict(group)
        return session_id

    def get_group(self, group_id: UUID) -> dict[str, Any]:
        group = self._group(group_id)
        return {
            "group_id": group.id,
            "name": group.name,
            "purpose": group.purpose,
            "service_line": group.service_line,
            "contract_id": group.contract_id,
            "min_age": group.min_age,
            "max_age": group.max_age,
            "formed_on": group.formed_on,
            "worker": group.worker,
            "member_ids": group.member_ids,
            "sessions": group.sessions,
        }

    def list_groups(
        self,
        *,
        limit: int,
        after: str | None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> tuple[list[dict[str, Any]], int]:
        """Now, or as they stood (shared/past_registers.py); with the position read at."""
        return self.past.read(
            self.community_view,
            as_of,
            as_of_position,
            lambda view, _day: view.list_groups(limit=limit, after=after, **filters),
        )

    # Activities -------------------------------------------------------------
    def record_activity(
        self,
        *,
        kind: str,
        title: str,
        held_on: date,
        contract_id: UUID | None,
        town: str | None,
        village: str | None,
        child_ids: list[UUID],
        guardian_count: int,
        community_count: int,
        topics: list[str],
        theme: str | None,
        organization_id: UUID | None,
        worker: str,
    ) -> UUID:
        self._contract_takes_work(contract_id)

        def hold() -> Activity:
            return Activity.hold(
                today=self.clock(),
                kind=kind,
                title=title,
                held_on=held_on,
                contract_id=contract_id,
                town=town,
                village=village,
                child_ids=child_ids,
                guardian_count=guardian_count,
                community_count=community_count,
                topics=topics,
                theme=theme,
                organization_id=organization_id,
                worker=worker,
            )

        activity = hold()
        self._children_in_programme(child_ids, "child_ids")
        if organization_id is not None:
            self._organization(organization_id)
        if kind != "monthly_theme":
            self.save_or_conflict(activity)
            return activity.id
        month = month_of(held_on)
        assert theme is not None  # Activity.hold refused a monthly theme without one

        def under_the_months_theme() -> tuple[UUID, list[Any]]:
            # A save that lost the race took the activity's events with it: hold it afresh.
            held = activity if activity.pending_events else hold()
            taken = self.find(MonthlyTheme, MonthlyTheme.create_id(month))
            if taken is None:  # the month's first: saving its theme fails if another request set it first
                return held.id, [held, MonthlyTheme(month=month, theme=theme, first_activity_id=held.id)]
            if taken.theme != theme:
                raise MonthlyThemeTaken(month, taken.theme)
            return held.id, [held]

        return self.retrying(MonthlyTheme.create_id(month), under_the_months_theme)

    def _organization(self, organization_id: UUID) -> CommunityOrganization:
        found = self.find(CommunityOrganization, organization_id)
        if found is None:
            refuse("organization_id", f"{organization_id} is not a community social organisation known here")
        return found

    def list_activities(
        self,
        *,
        limit: int,
        after: str | None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> tuple[list[dict[str, Any]], int]:
        """Now, or as they stood (shared/past_registers.py); with the position read at."""
        return self.past.read(
            self.community_view,
            as_of,
            as_of_position,
            lambda view, _day: view.list_activities(limit=limit, after=after, **filters),
        )

    # Life care and age-appropriate services ---------------------------------
    def give_care_service(
        self,
        *,
        child_id: UUID,
        contract_id: UUID | None,
        kind: str,
        given_on: date,
        value_fen: int | None,
        resource: str | None,
        occasion: str | None,
        worker: str,
        notes: str,
    ) -> UUID:
        self._contract_takes_work(contract_id)
        service = CareService.give(
            today=self.clock(),
            child_id=child_id,
            contract_id=contract_id,
            kind=kind,
            given_on=given_on,
            value_fen=value_fen,
            resource=resource,
            occasion=occasion,
            worker=worker,
            notes=notes,
        )
        self._child_in_programme(child_id, "child_id")
        self.save_or_conflict(service)
        return service.id

    def list_care_services(
        self,
        *,
        limit: int,
        after: str | None,
        as_of: date | None = None,
        as_of_position: int | None = None,
        **filters: Any,
    ) -> tuple[list[dict[str, Any]], int]:
        """Now, or as they stood (shared/past_registers.py); with the position read at."""
        return self.past.read(
            self.community_view,
            as_of,
            as_of_position,
            lambda view, _day: view.list_care(limit=limit, after=after, **filters),
        )

    # Community social organisations -----------------------------------------
    def nurture_organization(
        self, *, name: str, town: str, village: str | None, focus: str, contract_id: UUID | None, nurtured_on: date
    ) -> UUID:
        organization = CommunityOrganization.nurture(
            today=self.clock(),
            name=name,
            town=town,
            village=village,
            focus=focus,
            contract_id=contract_id,
            nurtured_on=nurtured_on,
        )
        return self._record_new(organization, "community social organisation")

    def list_organizations(self, *, limit: int, after: str | None, **filters: Any) -> list[dict[str, Any]]:
        return self.community_view.list_organizations(limit=limit, after=after, **filters)
