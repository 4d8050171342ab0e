"""Importing a district's existing roster (issue 17): checking rows (the
preview) and creating the clean ones in batches, each row by the rules of a
new file (IntakeUseCases._new_file, the same as POST /children). Idempotent
per file (RosterImport, named by the file's SHA-256) and per row
(RosterRowClaim, named by the row's identity): nothing is created twice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from services.registry.domain.roster_imports import (
    ALREADY_IMPORTED,
    DUPLICATE_IN_FILE,
    DUPLICATE_IN_REGISTRY,
    Problem,
    RosterImport,
    RosterRowClaim,
    problem,
    row_identity,
    rule_problems,
)
from services.registry.exceptions import DuplicateIdNumber, InvalidChild, RosterImportNotFound
from services.registry.use_cases.intake import IntakeUseCases

Rows = Sequence[tuple[int, Mapping[str, Any]]]  # (row number in the sheet, the row's facts as loaded)
CREATED, ALREADY, REFUSED = "created", "already", "refused"


class RosterUseCases(IntakeUseCases):
    def check_roster_rows(self, rows: Rows) -> dict[int, list[Problem]]:
        """Each row's problems (empty: it would be created); nothing is stored."""
        today = self.clock()
        seen: set[str] = set()
        answer = {}
        for row, facts in rows:
            answer[row] = self._row_outcome(facts, today, None, seen)[1]
        return answer

    def start_roster_import(self, *, file_sha256: str, rows: int, started_by: str) -> dict[str, Any]:
        """The import of this file: started now, or the one started before."""
        import_id = RosterImport.id_for(file_sha256)
        found = self.find(RosterImport, import_id)
        if found is None:
            started = RosterImport.start(
                file_sha256=file_sha256, rows=rows, started_by=started_by, started_on=self.clock()
            )
            try:
                self.save(started)
                found = started
            except IntegrityError:  # the same file, started at the same moment
                found = self.load(RosterImport, import_id, RosterImportNotFound)
        return found.progress()

    def import_roster_batch(self, import_id: UUID, rows: Rows, refused: Mapping[int, list[Problem]]) -> dict[str, Any]:
        """Create the clean rows of one batch, all in one save with the batch's
        tally; rows refused before they got here (by the file's reader) are
        tallied with their problems. A batch sent again changes nothing."""
        today = self.clock()

        def attempt() -> tuple[dict[str, Any], list[Aggregate]]:
            roster = self.load(RosterImport, import_id, RosterImportNotFound)
            created: list[int] = []
            already: list[int] = []
            refusals = {row: list(found) for row, found in refused.items() if not roster.has_done(row)}
            changed: list[Aggregate] = []
            seen: set[str] = set()
            for row, facts in rows:
                if roster.has_done(row) or row in refusals:
                    continue
                outcome, problems, new = self._row_outcome(facts, today, import_id, seen)
                if outcome == CREATED:
                    created.append(row)
                    changed += new
                elif outcome == ALREADY:
                    already.append(row)
                else:
                    refusals[row] = problems
            roster.record_batch(created=created, already=already, refused=refusals)
            return roster.progress(with_refusals=False), [roster, *changed]

        return self.retrying(import_id, attempt)

    def roster_import(self, import_id: UUID) -> dict[str, Any]:
        return self.load(RosterImport, import_id, RosterImportNotFound).progress()

    def _row_outcome(
        self, facts: Mapping[str, Any], today: date, import_id: UUID | None, seen: set[str]
    ) -> tuple[str, list[Problem], list[Aggregate]]:
        identity = row_identity(facts)
        if identity in seen:
            return REFUSED, [problem(DUPLICATE_IN_FILE, "id_number", "the same child is on an earlier row")], []
        seen.add(identity)
        claim_id = RosterRowClaim.keyed_id(identity, self.claim_key)
        if self.find(RosterRowClaim, claim_id) is not None:
            return ALREADY, [problem(ALREADY_IMPORTED, "id_number", "created by an earlier roster import")], []
        try:
            child, claims = self._new_file(today=today, **facts)
        except InvalidChild as error:
            return REFUSED, rule_problems(error.fields), []
        except DuplicateIdNumber as error:
            message = f"a child file with this ID number already exists: {error.existing_child_id}"
            return REFUSED, [problem(DUPLICATE_IN_REGISTRY, "id_number", message)], []
        if import_id is None:
            return CREATED, [], []
        return CREATED, [], [child, *claims, RosterRowClaim.claim(claim_id, child.id, import_id)]
