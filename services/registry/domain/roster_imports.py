"""Importing a district's existing roster at go-live (issue 17): one
RosterImport per roster file, named by the file's SHA-256 so the same file is
one import however often it is sent, and one RosterRowClaim per child a roster
created, named by the row's identity (keyed, as ID-number claims are) so a
fixed re-upload creates only the rows not created before.

Every row is refused or created by the rules of a new file (Child.register):
this module only names the refusals with codes the bureau's screen shows in
Chinese (web/src/i18n/labels.zh-CN.json) and keeps the tally."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.registry.domain import id_number as id_numbers

ROSTER_NAMESPACE = uuid.UUID("6f1d3c1e-93a4-4e8e-9a52-2f3f7f0c5d21")

# Why a row is not imported. Each is a key of the Chinese dictionary.
MISSING_FIELD = "ROW_MISSING_FIELD"
INVALID_VALUE = "ROW_INVALID_VALUE"
FORMULA_IN_CELL = "ROW_FORMULA_IN_CELL"
ID_NUMBER_SHAPE = "ROW_ID_NUMBER_SHAPE"
ID_NUMBER_CHECKSUM = "ROW_ID_NUMBER_CHECKSUM"
ID_NUMBER_BIRTH_MISMATCH = "ROW_ID_NUMBER_BIRTH_MISMATCH"
ID_NUMBER_GENDER_MISMATCH = "ROW_ID_NUMBER_GENDER_MISMATCH"
UNKNOWN_TOWN = "ROW_UNKNOWN_TOWN"
UNKNOWN_VILLAGE = "ROW_UNKNOWN_VILLAGE"
DUPLICATE_IN_FILE = "ROW_DUPLICATE_IN_FILE"
DUPLICATE_IN_REGISTRY = "ROW_DUPLICATE_IN_REGISTRY"
ALREADY_IMPORTED = "ROW_ALREADY_IMPORTED"
RULE_VIOLATION = "ROW_RULE_VIOLATION"
ROW_CODES = (
    MISSING_FIELD,
    INVALID_VALUE,
    FORMULA_IN_CELL,
    ID_NUMBER_SHAPE,
    ID_NUMBER_CHECKSUM,
    ID_NUMBER_BIRTH_MISMATCH,
    ID_NUMBER_GENDER_MISMATCH,
    UNKNOWN_TOWN,
    UNKNOWN_VILLAGE,
    DUPLICATE_IN_FILE,
    DUPLICATE_IN_REGISTRY,
    ALREADY_IMPORTED,
    RULE_VIOLATION,
)

_ID_NUMBER_CODES = {
    id_numbers.SHAPE: ID_NUMBER_SHAPE,
    id_numbers.CHECKSUM: ID_NUMBER_CHECKSUM,
    id_numbers.BIRTH_MISMATCH: ID_NUMBER_BIRTH_MISMATCH,
    id_numbers.GENDER_MISMATCH: ID_NUMBER_GENDER_MISMATCH,
}

Problem = dict[str, str]  # {"code", "field", "message"}


def problem(code: str, field: str, message: str) -> Problem:
    return {"code": code, "field": field, "message": message}


def rule_problems(found: Mapping[str, list[str]]) -> list[Problem]:
    """The reasons Child.register gave ({field: [reasons]}), each with its code."""
    problems = []
    for field, reasons in found.items():
        for reason in reasons:
            if field == "id_number":
                code = _ID_NUMBER_CODES.get(reason, RULE_VIOLATION)
            elif field == "town":
                code = UNKNOWN_TOWN
            elif field == "village":
                code = UNKNOWN_VILLAGE
            else:
                code = RULE_VIOLATION
            problems.append(problem(code, field, reason))
    return problems


def row_identity(facts: Mapping[str, Any]) -> str:
    """What makes two rows the same child: the ID number, or (for a child
    without household registration) name, gender, birth date and address."""
    if facts.get("id_number"):
        return "id:" + str(facts["id_number"])
    born = facts["date_of_birth"]
    born_text = born.isoformat() if isinstance(born, date) else str(born)
    return "|".join(("person", str(facts["name"]), str(facts["gender"]), born_text, facts["town"], facts["village"]))


class RosterRowClaim(Aggregate):
    """A child created from a roster row: found by the row's identity, so the
    same row in any later roster file is not created again. Its id is keyed
    (HMAC-SHA256) as an ID-number claim's is: the identity holds the ID number."""

    @staticmethod
    def keyed_id(identity: str, key: bytes) -> uuid.UUID:
        if not key:
            raise ValueError("a claim id needs a key")
        digest = hmac.new(key, b"roster-row:" + identity.encode(), hashlib.sha256).digest()
        return uuid.UUID(bytes=digest[:16], version=4)

    @classmethod
    def claim(cls, claim_id: uuid.UUID, child_id: uuid.UUID, import_id: uuid.UUID) -> RosterRowClaim:
        return cls._create(cls.Claimed, id=claim_id, child_id=child_id, import_id=import_id)

    class Claimed(Aggregate.Created):
        child_id: uuid.UUID
        import_id: uuid.UUID

    @event(Claimed)
    def __init__(self, child_id: uuid.UUID, import_id: uuid.UUID):
        self.child_id = child_id
        self.import_id = import_id


class RosterImport(Aggregate):
    """One roster file's import: who started it and when (the event's
    metadata and `started_on`), the file's SHA-256, and each batch's outcome
    by row number (codes only: no child's data is kept here)."""

    @staticmethod
    def id_for(file_sha256: str) -> uuid.UUID:
        return uuid.uuid5(ROSTER_NAMESPACE, file_sha256)

    @classmethod
    def start(cls, *, file_sha256: str, rows: int, started_by: str, started_on: date) -> RosterImport:
        return cls._create(
            cls.Started,
            id=cls.id_for(file_sha256),
            file_sha256=file_sha256,
            rows=rows,
            started_by=started_by,
            started_on=started_on,
        )

    class Started(Aggregate.Created):
        file_sha256: str
        rows: int
        started_by: str
        started_on: date

    @event(Started)
    def __init__(self, file_sha256: str, rows: int, started_by: str, started_on: date):
        self.file_sha256 = file_sha256
        self.rows = rows
        self.started_by = started_by
        self.started_on = started_on
        self.done: set[int] = set()
        self.created = 0
        self.already = 0
        self.refused: dict[int, list[Problem]] = {}

    def has_done(self, row: int) -> bool:
        return row in self.done

    @property
    def finished(self) -> bool:
        return len(self.done) >= self.rows

    def record_batch(self, *, created: list[int], already: list[int], refused: Mapping[int, list[Problem]]) -> None:
        """A batch's outcome; rows recorded before are left out (a batch sent twice)."""
        created = [r for r in created if r not in self.done]
        already = [r for r in already if r not in self.done]
        refused_rows = {str(r): list(p) for r, p in refused.items() if r not in self.done}
        if not (created or already or refused_rows):
            return
        self._batch_recorded(created=created, already=already, refused=refused_rows)

    @event("BatchRecorded")
    def _batch_recorded(self, created: list[int], already: list[int], refused: dict[str, list[Problem]]) -> None:
        self.done.update(created)
        self.done.update(already)
        self.created += len(created)
        self.already += len(already)
        for row, problems in refused.items():
            self.refused[int(row)] = problems
            self.done.add(int(row))

    def progress(self, with_refusals: bool = True) -> dict[str, Any]:
        answer = {
            "import_id": self.id,
            "file_sha256": self.file_sha256,
            "started_by": self.started_by,
            "started_on": self.started_on,
            "rows": self.rows,
            "rows_done": len(self.done),
            "created": self.created,
            "already_imported": self.already,
            "refused": len(self.refused),
            "finished": self.finished,
        }
        if with_refusals:
            answer["refusals"] = [{"row": row, "problems": self.refused[row]} for row in sorted(self.refused)]
        return answer
