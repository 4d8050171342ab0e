"""Registering children through the gateway and reading back what each service holds."""

from __future__ import annotations

import itertools
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import requests

from services.registry.domain.id_number import check_character
from tests.support.api import Api

_serial = itertools.count(1)

# Both parents working away: the facts that make a child left-behind.
MIGRANT_PARENTS = {
    "father": {"status": "migrant", "whereabouts": "银川市"},
    "mother": {"status": "migrant", "whereabouts": "杭州市"},
    "economic_status": "ordinary",
}


def valid_id_number(born: date, male: bool, serial: int) -> str:
    sequence = serial % 50 * 2 + (1 if male else 0)  # 3-digit order code, odd for male
    first17 = f"640502{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def new_child(with_id: bool = True) -> dict:
    n = next(_serial)
    # Aged 8 to 14 today, so every category (left-behind ends at 16) applies.
    born = date.today() - timedelta(days=8 * 366 + (n * 37 + uuid.uuid4().int) % (6 * 365))
    male = n % 2 == 1
    return {
        "name": f"测试儿童{n}",
        "gender": "male" if male else "female",
        "date_of_birth": born.isoformat(),
        "id_number": valid_id_number(born, male, n) if with_id else None,
        "town": "滨河镇",
        "village": "新北村",
        "categories": ["left_behind"],
        "household": MIGRANT_PARENTS,
    }


def register(api: Api, child: dict | None = None, headers: dict | None = None) -> requests.Response:
    return api.post("/children", json=child or new_child(), headers=headers)


def register_many(api: Api, count: int, clients: int = 8) -> list[str]:
    """Register `count` children concurrently; every one must be created."""

    def one(_):
        response = register(api, new_child(with_id=False))
        assert response.status_code == 201, response.text
        return response.json()["child_id"]

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(count)))


def casework_roster(api: Api) -> list[str] | None:
    """Every child id casework lists, or None if the gateway could not answer
    (e.g. a 504 on a loaded machine), so waiting callers simply ask again."""
    ids, cursor = [], None
    while True:
        params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        response = api.get("/casework/children", params=params)
        if response.status_code != 200:
            return None
        page = response.json()
        ids += [item["child_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


def registry_public_children(rpc) -> list[str]:
    """Every child the registry has published, read through its pull RPC."""
    ids, after = [], 0
    while True:
        result = rpc.registry.notifications(after, 1000)
        ids += [
            e["payload"]["child_id"] for e in result["envelopes"] if e["type"].startswith("registry.child_registered.")
        ]
        if result["last"] == after:
            return ids
        after = result["last"]
