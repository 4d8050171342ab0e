"""Duplicate files: candidate pairs (same birth date and village, similar
names), merging two files into one as an event, and dismissing a pair as not
the same child until the dismissal is withdrawn."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.registry.domain.child import Child
from services.registry.domain.dismissals import DuplicateDismissal
from services.registry.exceptions import ChildNotFound, DismissalNotFound
from services.registry.use_cases.base import RegistryBase


class DuplicateUseCases(RegistryBase):
    def duplicates(self, *, min_score: float, limit: int, cursor: str | None = None) -> dict[str, Any]:
        return self.children.duplicates(min_score=min_score, limit=limit, cursor=cursor)

    def merge_files(self, *, survivor_id: UUID, merged_id: UUID, reason: str) -> dict[str, Any]:
        today = self.clock()

        def attempt() -> tuple[dict[str, Any], list[Child]]:
            survivor = self.load(Child, survivor_id, ChildNotFound)
            merged = self.load(Child, merged_id, ChildNotFound)
            merged.merge_into(survivor=survivor, reason=reason, today=today)
            return {"survivor_id": survivor.id, "merged_id": merged.id, "merged_on": today}, [merged, survivor]

        return self.retrying(merged_id, attempt)

    # -- candidate pairs found not to match ------------------------------------------

    def dismiss_duplicate(self, *, first_id: UUID, second_id: UUID, reason: str) -> dict[str, Any]:
        """Record that two candidate files are not the same child: the pair
        leaves the duplicates list until the dismissal is withdrawn."""
        today = self.clock()
        dismissal_id = DuplicateDismissal.create_id(first_id, second_id)

        # dismissed concurrently: the next round answers 409
        def attempt() -> tuple[dict[str, Any], list[DuplicateDismissal]]:
            first = self.load(Child, first_id, ChildNotFound)
            second = self.load(Child, second_id, ChildNotFound)
            dismissal = self.find(DuplicateDismissal, dismissal_id)
            if dismissal is None:
                dismissal = DuplicateDismissal.dismiss(first=first, second=second, reason=reason, today=today)
            else:
                dismissal.dismiss_again(first=first, second=second, reason=reason, today=today)
            return self._dismissal_answer(dismissal), [dismissal]

        return self.retrying(dismissal_id, attempt)

    def withdraw_dismissal(self, dismissal_id: UUID, *, reason: str) -> dict[str, Any]:
        """The pair is a candidate again (listed if it still matches)."""
        today = self.clock()

        def attempt() -> tuple[dict[str, Any], list[DuplicateDismissal]]:
            dismissal = self.load(DuplicateDismissal, dismissal_id, DismissalNotFound)
            dismissal.withdraw(reason=reason, today=today)
            return self._dismissal_answer(dismissal), [dismissal]

        return self.retrying(dismissal_id, attempt)

    @staticmethod
    def _dismissal_answer(dismissal: DuplicateDismissal) -> dict[str, Any]:
        return {
            "dismissal_id": dismissal.id,
            "first_id": dismissal.first_id,
            "second_id": dismissal.second_id,
            "standing": dismissal.standing,
            "reason": dismissal.reason,
            "dismissed_on": dismissal.dismissed_on,
            "withdrawn_on": dismissal.withdrawn_on,
            "version": dismissal.version,
        }

    def list_dismissals(self, *, limit: int, cursor: str | None = None) -> dict[str, Any]:
        return self.children.list_dismissals(limit=limit, cursor=cursor)
