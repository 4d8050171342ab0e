"""Candidate duplicate files a reviewer found NOT to be the same child."""

from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

from services.registry.domain.child import ACTIVE, MERGED, Child
from services.registry.domain.errors import DismissalNotFound, InvalidDismissal, PairAlreadyDismissed
from shared.errors import refuse

DISMISSAL_NAMESPACE = uuid.UUID("9d3c2a71-64f0-4b8e-a5d2-7c1e0f4b6a93")


class DuplicateDismissal(Aggregate):
    """A reviewer's finding that two candidate duplicate files are NOT the same
    child, with the reason; who and when are the metadata stamped on the event.
    It holds until withdrawn, and a withdrawn pair may be dismissed again.

    One aggregate per unordered pair, its id derived from the two file ids (as
    IdNumberClaim's is from the number): two dismissals of one pair both create
    version 1 of the same aggregate, so the second fails atomically on save, and
    dismissing, withdrawing and dismissing again form one history. Not state on
    the Child aggregates: the finding is about the pair, not either file, and
    keeping it there would mean two events for one decision, saved together and
    racing every visit or correction of either file."""

    @staticmethod
    def create_id(first_id: uuid.UUID, second_id: uuid.UUID) -> uuid.UUID:
        low, high = sorted((str(first_id), str(second_id)))
        return uuid.uuid5(DISMISSAL_NAMESPACE, f"{low} {high}")

    class Dismissed(Aggregate.Created):
        first_id: uuid.UUID
        second_id: uuid.UUID
        reason: str
        dismissed_on: date

    @event(Dismissed)
    def __init__(self, first_id: uuid.UUID, second_id: uuid.UUID, reason: str, dismissed_on: date):
        self.first_id = first_id
        self.second_id = second_id
        self.reason = reason
        self.dismissed_on = dismissed_on
        self.standing = True
        self.withdrawn_on: date | None = None

    @staticmethod
    def _check(first: Child, second: Child, reason: str) -> None:
        if first.id == second.id:
            refuse("second_id", "is the same file as first_id; name two different files", error=InvalidDismissal)
        for field, child in (("first_id", first), ("second_id", second)):
            if child.status == MERGED:
                refuse(field, f"the file was merged into {child.merged_into}", error=InvalidDismissal)
            if child.status != ACTIVE:
                refuse(field, f"the file is not active ({child.status})", error=InvalidDismissal)
        if not reason.strip():
            refuse("reason", "a dismissal needs a reason", error=InvalidDismissal)

    @classmethod
    def dismiss(cls, *, first: Child, second: Child, reason: str, today: date) -> DuplicateDismissal:
        cls._check(first, second, reason)
        return cls(first_id=first.id, second_id=second.id, reason=reason, dismissed_on=today)

    def dismiss_again(self, *, first: Child, second: Child, reason: str, today: date) -> None:
        """After a withdrawal, the same pair may be found not to match again."""
        self._check(first, second, reason)
        if self.standing:
            raise PairAlreadyDismissed(self.id)
        self._redismissed(reason=reason, dismissed_on=today)

    @event("Redismissed")
    def _redismissed(self, reason: str, dismissed_on: date) -> None:
        self.reason = reason
        self.dismissed_on = dismissed_on
        self.standing = True
        self.withdrawn_on = None

    def withdraw(self, *, reason: str, today: date) -> None:
        if not self.standing:
            raise DismissalNotFound(self.id)
        if not reason.strip():
            refuse("reason", "a withdrawal needs a reason", error=InvalidDismissal)
        self._withdrawn(reason=reason, withdrawn_on=today)

    @event("Withdrawn")
    def _withdrawn(self, reason: str, withdrawn_on: date) -> None:
        self.standing = False
        self.withdrawn_on = withdrawn_on
