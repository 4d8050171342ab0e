"""Use cases for group work, community activities, life care and the social
organisations the project nurtures."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.casework.activities import Activity, MonthlyTheme, month_of
from services.casework.care import CareService
from services.casework.directors import CommunityOrganization
from services.casework.exceptions import (
    AlreadyRecorded, GroupNotFound, MonthlyThemeTaken, Refused, refuse,
)
from services.casework.groups import Group
from services.casework.lines import SERVICE_LINES
from services.casework.rules import age_on


class CommunityCommands:
    def _children_in_programme(self, child_ids: list[UUID], field: str) -> list[Any]:
        children, problems = [], []
        for child_id in child_ids:
            try:
                children.append(self._child_in_programme(child_id, field))
            except Refused as error:
                problems += error.fields[field]
        if problems:
            raise Refused({field: problems})
        return children

    # Groups -----------------------------------------------------------------
    def _group(self, group_id: UUID) -> Group:
        try:
            group = self.repository.get(group_id)
        except AggregateNotFoundError:
            raise GroupNotFound(group_id) from None
        if not isinstance(group, Group):
            raise GroupNotFound(group_id)
        return group

    def _within_age_band(self, children, min_age: int, max_age: int, on: date, field: str) -> None:
        outside = [f"{c.id} is {age_on(c.date_of_birth, on)}" for c in children
                   if not min_age <= age_on(c.date_of_birth, on) <= max_age]
        if outside:
            raise refuse(field, f"outside the age band {min_age}-{max_age}: {'; '.join(outside)}")

    def form_group(self, *, name: str, purpose: str, service_line: str, contract_id: UUID | None,
                   min_age: int, max_age: int, formed_on: date, worker: str,
                   member_ids: list[UUID]) -> UUID:
        group = Group.form(
            today=self.clock(), service_lines=SERVICE_LINES, name=name, purpose=purpose,
            service_line=service_line, contract_id=contract_id, min_age=min_age, max_age=max_age,
            formed_on=formed_on, worker=worker, member_ids=member_ids,
        )
        children = self._children_in_programme(member_ids, "member_ids")
        self._within_age_band(children, min_age, max_age, formed_on, "member_ids")
        self.commit(group)
        return group.id

    def add_group_members(self, group_id: UUID, *, child_ids: list[UUID]) -> None:
        group = self._group(group_id)
        children = self._children_in_programme(child_ids, "child_ids")
        self._within_age_band(children, group.min_age, group.max_age, self.clock(), "child_ids")
        group.add_members(child_ids=child_ids)
        self.commit(group)

    def record_group_session(self, group_id: UUID, *, held_on: date, topic: str, worker: str,
                             duration_minutes: int, attended_child_ids: list[UUID]) -> UUID:
        group = self._group(group_id)
        self._children_in_programme(attended_child_ids, "attended_child_ids")
        session_id = uuid.uuid4()
        group.hold_session(today=self.clock(), session_id=session_id, held_on=held_on, topic=topic,
                           worker=worker, duration_minutes=duration_minutes,
                           attended_child_ids=attended_child_ids)
        self.commit(group)
        return session_id

    def get_group(self, group_id: UUID) -> dict[str, Any]:
        group = self._group(group_id)
        return {
            "group_id": group.id, "name": group.name, "purpose": group.purpose,
            "service_line": group.service_line, "contract_id": group.contract_id,
            "min_age": group.min_age, "max_age": group.max_age, "formed_on": group.formed_on,
            "worker": group.worker, "member_ids": group.member_ids, "sessions": group.sessions,
        }

    def list_groups(self, *, limit: int, after: str | None, **filters: Any) -> list[dict[str, Any]]:
        return self.community_view.list_groups(limit=limit, after=after, **filters)

    # Activities -------------------------------------------------------------
    def record_activity(self, *, kind: str, title: str, held_on: date, contract_id: UUID | None,
                        town: str | None, village: str | None, child_ids: list[UUID],
                        guardian_count: int, community_count: int, topics: list[str],
                        theme: str | None, organization_id: UUID | None, worker: str) -> UUID:
        activity = Activity.hold(
            today=self.clock(), kind=kind, title=title, held_on=held_on, contract_id=contract_id,
            town=town, village=village, child_ids=child_ids, guardian_count=guardian_count,
            community_count=community_count, topics=topics, theme=theme,
            organization_id=organization_id, worker=worker,
        )
        self._children_in_programme(child_ids, "child_ids")
        if organization_id is not None:
            self._organization(organization_id)
        if kind != "monthly_theme":
            self.commit(activity)
            return activity.id
        month = month_of(held_on)
        if self._theme_of(month) is None:
            try:
                self.save(activity, MonthlyTheme(month=month, theme=theme, first_activity_id=activity.id))
                return activity.id
            except IntegrityError:
                pass  # another request set this month's theme first
        taken = self._theme_of(month)
        if taken != theme:
            raise MonthlyThemeTaken(month, taken)
        self.commit(activity)  # another activity under the month's theme
        return activity.id

    def _theme_of(self, month: str) -> str | None:
        try:
            return self.repository.get(MonthlyTheme.create_id(month)).theme
        except AggregateNotFoundError:
            return None

    def list_activities(self, *, limit: int, after: str | None, **filters: Any) -> list[dict[str, Any]]:
        return self.community_view.list_activities(limit=limit, after=after, **filters)

    # Life care and age-appropriate services ---------------------------------
    def give_care_service(self, *, child_id: UUID, contract_id: UUID | None, kind: str,
                          given_on: date, value_fen: int | None, resource: str | None,
                          occasion: str | None, worker: str, notes: str) -> UUID:
        service = CareService.give(
            today=self.clock(), child_id=child_id, contract_id=contract_id, kind=kind,
            given_on=given_on, value_fen=value_fen, resource=resource, occasion=occasion,
            worker=worker, notes=notes,
        )
        self._child_in_programme(child_id, "child_id")
        self.commit(service)
        return service.id

    def list_care_services(self, *, limit: int, after: str | None, **filters: Any) -> list[dict[str, Any]]:
        return self.community_view.list_care(limit=limit, after=after, **filters)

    # Community social organisations -----------------------------------------
    def _organization(self, organization_id: UUID) -> CommunityOrganization:
        try:
            found = self.repository.get(organization_id)
        except AggregateNotFoundError:
            found = None
        if not isinstance(found, CommunityOrganization):
            raise refuse("organization_id", f"{organization_id} is not a community social organisation known here")
        return found

    def nurture_organization(self, *, name: str, town: str, village: str | None, focus: str,
                             contract_id: UUID | None, nurtured_on: date) -> UUID:
        organization = CommunityOrganization.nurture(
            today=self.clock(), name=name, town=town, village=village, focus=focus,
            contract_id=contract_id, nurtured_on=nurtured_on,
        )
        try:
            self.save(organization)
        except IntegrityError:
            raise AlreadyRecorded("community social organisation", organization.id) from None
        return organization.id

    def list_organizations(self, *, limit: int, after: str | None, **filters: Any) -> list[dict[str, Any]]:
        return self.community_view.list_organizations(limit=limit, after=after, **filters)
