"""The towns and villages of Shapotou District, read from `places.json`
(editable data; the bureau completes the village list). A child file names one
of them as the child's address; a contract names some of them as its service
area (a whole town, or villages of a town)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

PLACES_FILE = Path(__file__).with_name("places.json")


@cache
def load(path: Path = PLACES_FILE) -> Mapping[str, frozenset[str]]:
    """town → its villages. Fails loudly on a malformed file: a registry with
    no reference list would accept any place name."""
    data = json.loads(path.read_text(encoding="utf-8"))
    towns = data["towns"]
    if not isinstance(towns, dict) or not towns:
        raise ValueError(f"{path}: 'towns' must map each town to its villages")
    return {str(town): frozenset(map(str, villages)) for town, villages in towns.items()}


def problems(places: Mapping[str, frozenset[str]], town: str, village: str) -> dict[str, list[str]]:
    if town not in places:
        return {"town": [f"{town!r} is not a town of Shapotou District in the reference list"]}
    if village not in places[town]:
        return {"village": [f"{village!r} is not a village of {town} in the reference list"]}
    return {}


def area_problems(places: Mapping[str, frozenset[str]], area: list[dict[str, str | None]]) -> list[str]:
    """What is wrong with a service area: entries {town, village}; a village of
    None covers the whole town."""
    found = []
    for entry in area:
        town, village = entry.get("town") or "", entry.get("village")
        if town not in places:
            found.append(f"{town!r} is not a town of Shapotou District in the reference list")
        elif village is not None and village not in places[town]:
            found.append(f"{village!r} is not a village of {town} in the reference list")
    return found


def covers(area: list[dict[str, str | None]], town: str, village: str) -> bool:
    """Whether an address lies in a service area."""
    return any(e.get("town") == town and e.get("village") in (None, village) for e in area)
