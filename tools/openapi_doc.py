"""Writes web/openapi.json, the gateway's API document as the browser app's
typed client is generated from it, and regenerates web/src/api/schema.d.ts:

    python -m tools.openapi_doc          # print the document
    python -m tools.openapi_doc --write  # rewrite both files (needs `npm ci` in web/)

tests/unit/gateway/test_openapi_copy.py fails when either is out of step with
the gateway's route table."""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
DOCUMENT = WEB / "openapi.json"
TYPES = WEB / "src" / "api" / "schema.d.ts"
GENERATOR = WEB / "node_modules" / ".bin" / "openapi-typescript"


def document_text() -> str:
    from services.gateway import service  # noqa: F401 - registers every route
    from services.gateway.web.openapi import build_spec

    return json.dumps(build_spec(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def generated_types(document: Path = DOCUMENT) -> str:
    """openapi-typescript's output for the document, as committed."""
    if not GENERATOR.exists():
        raise RuntimeError("run `npm ci` in web/ first (scripts/web.sh does it)")
    # Fields with a default stay optional in requests: the gateway fills them in.
    command = [str(GENERATOR), str(document), "--default-non-nullable=false"]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=WEB)
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    text = document_text()
    if not args.write:
        print(text, end="")
        return
    DOCUMENT.write_text(text, encoding="utf-8")
    TYPES.write_text(generated_types(), encoding="utf-8")
    print(f"wrote {DOCUMENT.relative_to(ROOT)} and {TYPES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
