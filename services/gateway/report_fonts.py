"""The PDF report's Chinese font: Noto Sans SC (SIL Open Font License 1.1),
shipped by the pinned PyPI package justmytype-intl-cjk, so nothing is fetched
at run time and the report renders on a machine with no CJK font installed.

The package ships it as one variable font (weight axis 100–900, default Thin).
fpdf2 would instance it on every document (~15 s a weight), so it is instanced
once to two static TrueType files, Regular (400) and Bold (700), that fpdf2
then subsets and embeds per document. They are made at install time
(`python -m services.gateway.report_fonts`, run by scripts/bootstrap.sh and the
Dockerfile) into REPORT_FONT_DIR, else into a cache folder named after the
package versions; a process that finds none makes them once, in a subprocess,
so the gateway's eventlet hub keeps serving meanwhile."""

from __future__ import annotations

import importlib.metadata as metadata
import os
import subprocess
import sys
import threading
from importlib.resources import files
from pathlib import Path

from shared.config import report_font_dir

PACKAGE = "justmytype-intl-cjk"
SOURCE = "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"
FAMILY = "NotoSansSC"
WEIGHTS = {"": 400, "B": 700}  # fpdf2 style → weight axis value

_making = threading.Lock()


def source() -> Path:
    return Path(str(files("justmytype_intl_cjk") / SOURCE))


def font_dir() -> Path:
    configured = report_font_dir()
    if configured is not None:
        return configured
    versions = f"{metadata.version(PACKAGE)}-fonttools{metadata.version('fonttools')}"
    return Path.home() / ".cache" / "childcare-programme" / "report-fonts" / versions


def paths(directory: Path) -> dict[str, Path]:
    return {style: directory / f"{FAMILY}-{weight}.ttf" for style, weight in WEIGHTS.items()}


def font_files() -> dict[str, Path]:
    """The static fonts by fpdf2 style, made first if missing."""
    directory = font_dir()
    wanted = paths(directory)
    if all(path.exists() for path in wanted.values()):
        return wanted
    with _making:
        if not all(path.exists() for path in wanted.values()):
            subprocess.run([sys.executable, "-m", "services.gateway.report_fonts", str(directory)], check=True)
    return wanted


def make(directory: Path) -> dict[str, Path]:
    """Instance the variable font at each weight into `directory` (skipping
    those already there); each file appears whole or not at all."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    directory.mkdir(parents=True, exist_ok=True)
    made = paths(directory)
    for style, path in made.items():
        if path.exists():
            continue
        font = TTFont(source())
        instancer.instantiateVariableFont(font, {"wght": WEIGHTS[style]}, inplace=True, updateFontNames=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        font.save(partial)
        os.replace(partial, path)
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else font_dir()
    for made in make(target).values():
        print(made)
