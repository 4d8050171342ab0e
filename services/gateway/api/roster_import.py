"""A district's existing roster at go-live (issue 17): bureau staff upload the
.xlsx, see every row's problems (POST /children/imports/preview, nothing
stored), then import the clean rows (POST /children/imports) and follow the
import (GET /children/imports/{import_id}).

The gateway reads the file (roster_file.py) and sends its rows to the
registry in batches; every row is checked and created by the registry's own
rules of a new file, the ones POST /children runs. The import is named by the
file's SHA-256: the same file again is the same import and creates nothing,
and a fixed file creates only the rows not created before (the registry
remembers each row it created). The registry records who started it, when,
the file's hash and each batch's rows created and refused, as events."""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import Schema, fields

from services.gateway import roster_file
from services.gateway.web.http_errors import GatewayError, PayloadTooLarge, UnsupportedMediaType
from services.gateway.web.routes import FORM, route
from services.gateway.workbook import XLSX
from services.registry import schemas as s

TAG = "registry"
BATCH = 200  # rows per RPC: one batch is saved well within the RPC deadline
CHECK_BATCH = 200  # rows per preview RPC (the registry takes up to s.ROSTER_BATCH_MAX)
RAW_TYPES = (XLSX, "application/octet-stream")


class RosterFileInvalid(GatewayError):
    code = "ROSTER_FILE_INVALID"


class RosterPreview(Schema):
    file_sha256 = fields.String(required=True)
    import_id = fields.UUID(required=True, metadata={"description": "the import this file would be (its progress)"})
    rows = fields.Integer(required=True, metadata={"description": "rows in the file (empty rows left out)"})
    clean = fields.Integer(required=True, metadata={"description": "rows that would be created"})
    refused = fields.Integer(required=True)
    already_imported = fields.Integer(required=True, metadata={"description": "created by an earlier import"})
    problems = fields.List(
        fields.Nested(s.RosterRefusalSchema), required=True, metadata={"description": "each row not clean, why"}
    )


def _refused(kind: str, message: str) -> GatewayError:
    if kind == "not_xlsx":
        return UnsupportedMediaType(message, {"file": [message]})
    if kind == "too_large":
        return PayloadTooLarge(message, {"file": [message]})
    return RosterFileInvalid(message, {"file": [message]})


class RosterImportRoutes:
    def _roster(self, request) -> roster_file.Roster:
        """The uploaded roster: multipart field "file", or the raw .xlsx body."""
        limit = max(self.settings.upload_max_bytes, self.settings.max_body_bytes)
        if request.mimetype == "multipart/form-data":
            upload = request.files.get("file")
            if upload is None:
                raise RosterFileInvalid("send the roster as the form field 'file'", {"file": ["is required"]})
            data = upload.stream.read(limit + 1)
        elif request.mimetype in RAW_TYPES:
            data = request.get_data(cache=False)
        else:
            raise UnsupportedMediaType(
                "send an .xlsx file", {"Content-Type": [f"got {request.mimetype or 'nothing'}; send {XLSX}"]}
            )
        if len(data) > limit:
            raise PayloadTooLarge(f"the file is larger than {limit} bytes", {"file": [f"at most {limit} bytes"]})
        if not data:
            raise RosterFileInvalid("the file is empty", {"file": ["is empty"]})
        try:
            return roster_file.read(data)
        except roster_file.RosterFileRefused as refusal:
            raise _refused(refusal.kind, refusal.message) from None

    @staticmethod
    def _wire(rows) -> list[dict[str, Any]]:
        return [{"row": number, "facts": facts} for number, facts in rows]

    @route(
        "POST",
        "/children/imports/preview",
        summary="Check a roster (.xlsx, Chinese headers): every row's problems; nothing is stored",
        tag=TAG,
        response=RosterPreview,
        upload=(XLSX, FORM),
        idempotent_post=False,
        errors=(400, 413, 415),
    )
    def preview_roster(self, request):
        roster = self._roster(request)
        problems = dict(roster.problems)
        for start in range(0, len(roster.rows), CHECK_BATCH):
            chunk = self._wire(roster.rows[start : start + CHECK_BATCH])
            for checked in self.call("registry", "check_roster_rows", {"rows": chunk})["rows"]:
                if checked["problems"]:
                    problems[checked["row"]] = checked["problems"]
        already = sum(1 for found in problems.values() if _only_already(found))
        answer = {
            "file_sha256": roster.file_sha256,
            "import_id": s.roster.RosterImport.id_for(roster.file_sha256),
            "rows": roster.total,
            "clean": roster.total - len(problems),
            "refused": len(problems) - already,
            "already_imported": already,
            "problems": [{"row": row, "problems": problems[row]} for row in sorted(problems)],
        }
        return self.reply(RosterPreview().dump(answer))

    @route(
        "POST",
        "/children/imports",
        summary="Import a roster's clean rows, in batches, by the rules of POST /children; "
        "the same file again creates nothing",
        tag=TAG,
        response=s.RosterProgress,
        upload=(XLSX, FORM),
        idempotent_post=False,
        status=201,
        location="/children/imports/{import_id}",
        errors=(400, 413, 415),
    )
    def import_roster(self, request):
        roster = self._roster(request)
        started = self.call(
            "registry", "start_roster_import", {"file_sha256": roster.file_sha256, "rows": roster.total}
        )
        import_id = started["import_id"]
        if not started["finished"]:
            refused = sorted(roster.problems.items())
            batches = max(len(roster.rows), len(refused))
            for start in range(0, batches, BATCH):
                batch = {
                    "rows": self._wire(roster.rows[start : start + BATCH]),
                    "refused": [{"row": r, "problems": p} for r, p in refused[start : start + BATCH]],
                }
                self.issue_command(uuid.uuid4().hex)  # each batch is its own command
                self.call("registry", "import_roster_batch", import_id, batch)
        return self.reply(self.call("registry", "get_roster_import", import_id))

    @route(
        "GET",
        "/children/imports/{import_id}",
        summary="A roster import's progress: rows done, created, refused (with why)",
        tag=TAG,
        response=s.RosterProgress,
        errors=(404,),
    )
    def roster_import(self, request, import_id):
        return self.send(request, "registry", "get_roster_import", import_id)


def _only_already(problems: list[dict[str, str]]) -> bool:
    return all(p["code"] == s.roster.ALREADY_IMPORTED for p in problems)
