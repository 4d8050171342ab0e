"""The towns and villages of Shapotou District a child file may name, read
from `places.json` (editable data; the bureau completes the village list)."""

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
