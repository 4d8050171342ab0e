"""The scope rules for line 1 (摸底走访建档, 卫沙民社函〔2025〕11号 §三.(四).1), against
stand-in services: provider staff open files, visit and plan campaigns only in
their contracts' service areas; the gateway names the contract the work is done
under and writes it into the body; a contract id from the body is checked."""

import json
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway import scopes as sc
from services.gateway.web.caller import Caller
from services.gateway.web.http_errors import Forbidden, OutOfScope
from services.gateway.web.inputs import json_body
from shared import places
from shared.errors import RuleViolation

ORG = "org-1"
OURS, SECOND, THEIRS = "contract-ours", "contract-second", "contract-theirs"
HOME = {"town": "滨河镇", "village": "新北村"}
NEXT_DOOR = {"town": "滨河镇", "village": "黄湾村"}
ELSEWHERE = {"town": "迎水桥镇", "village": "沙坡头村"}
PROVIDER = Caller("u-1", "worker", "provider_staff", {"organization_id": ORG})


class Services:
    """casework's contract areas, grants' owners, registry's files, campaigns."""

    def __init__(self):
        self.settings = SimpleNamespace(max_body_bytes=100_000)
        self.areas = {
            OURS: (ORG, [HOME]),
            THEIRS: ("org-2", [ELSEWHERE]),
        }
        self.children = {"near": HOME, "far": ELSEWHERE}
        self.campaigns = {"ours": OURS, "theirs": THEIRS, "bureau": None}

    def call(self, service, method, *args):
        if (service, method) == ("casework", "contracts_covering"):
            organization, addresses = args
            return [
                contract
                for contract, (owner, area) in self.areas.items()
                if owner == organization and all(places.covers(area, town, village) for town, village in addresses)
            ]
        if (service, method) == ("grants", "get_contract"):
            return {"organization_id": self.areas[args[0]][0] if args[0] in self.areas else "nobody"}
        if (service, method) == ("registry", "get_child"):
            return dict(self.children[args[0]])
        if (service, method) == ("registry", "campaign_coverage"):
            return {"contract_id": self.campaigns[args[0]]}
        raise AssertionError((service, method, args))


def posting(body) -> Request:
    return Request(EnvironBuilder(method="POST", data=json.dumps(body), content_type="application/json").get_environ())


def forwarded(gw, request) -> dict:
    return json_body(request, gw.settings.max_body_bytes)


def test_a_file_opened_in_the_area_is_opened_under_the_only_contract_covering_it():
    gw, request = Services(), posting({"name": "马小军", **HOME})
    sc.own_area_in_body(gw, PROVIDER, request, {})
    assert forwarded(gw, request) == {"name": "马小军", **HOME, "contract_id": OURS}


def test_a_file_outside_the_area_is_refused():
    with pytest.raises(Forbidden) as refused:
        sc.own_area_in_body(Services(), PROVIDER, posting({**ELSEWHERE}), {})
    assert set(refused.value.fields) == {"village"}


def test_a_named_contract_must_be_the_organisations_and_cover_the_place():
    gw = Services()
    with pytest.raises(Forbidden) as refused:
        sc.own_area_in_body(gw, PROVIDER, posting({**ELSEWHERE, "contract_id": THEIRS}), {})
    assert set(refused.value.fields) == {"contract_id"}
    with pytest.raises(Forbidden) as refused:
        sc.own_area_in_body(gw, PROVIDER, posting({**HOME, "contract_id": "made-up"}), {})
    assert set(refused.value.fields) == {"contract_id"}
    with pytest.raises(Forbidden):  # ours, but not covering 沙坡头村
        sc.own_area_in_body(gw, PROVIDER, posting({**ELSEWHERE, "contract_id": OURS}), {})
    with pytest.raises(Forbidden):  # not a string: never trusted
        sc.own_area_in_body(gw, PROVIDER, posting({**HOME, "contract_id": [OURS]}), {})
    request = posting({**HOME, "contract_id": OURS})
    sc.own_area_in_body(gw, PROVIDER, request, {})
    assert forwarded(gw, request)["contract_id"] == OURS


def test_when_several_contracts_cover_the_place_the_caller_names_one():
    gw = Services()
    gw.areas[SECOND] = (ORG, [{"town": "滨河镇", "village": None}])  # the whole town
    with pytest.raises(RuleViolation) as refused:
        sc.own_area_in_body(gw, PROVIDER, posting({**HOME}), {})
    assert set(refused.value.fields) == {"contract_id"}
    request = posting({**HOME, "contract_id": SECOND})
    sc.own_area_in_body(gw, PROVIDER, request, {})
    assert forwarded(gw, request)["contract_id"] == SECOND


def test_a_malformed_body_is_left_to_the_routes_validation_unchanged():
    gw = Services()
    for body in ([HOME], {"town": 3, "village": "新北村"}, {"name": "no place"}):
        request = posting(body)
        sc.own_area_in_body(gw, PROVIDER, request, {})
        assert forwarded(gw, request) == body


def test_a_visit_outside_the_area_is_refused_as_if_the_child_did_not_exist():
    gw, check = Services(), sc.child_in_own_area()
    with pytest.raises(OutOfScope):
        check(gw, PROVIDER, posting({"visited_on": "2025-07-01"}), {"child_id": "far"})
    with pytest.raises(OutOfScope):  # even with a body that is not an object
        check(gw, PROVIDER, posting(["x"]), {"child_id": "far"})
    with pytest.raises(OutOfScope):  # naming our contract does not open another area
        check(gw, PROVIDER, posting({"contract_id": OURS}), {"child_id": "far"})
    request = posting({"visited_on": "2025-07-01"})
    check(gw, PROVIDER, request, {"child_id": "near"})
    assert forwarded(gw, request)["contract_id"] == OURS


def test_a_campaign_targets_only_villages_its_contract_covers():
    gw = Services()
    refused_targets = [{**HOME, "households": 3}, {**NEXT_DOOR, "households": 2}]
    with pytest.raises(Forbidden) as refused:
        sc.own_area_for_targets(gw, PROVIDER, posting({"targets": refused_targets}), {})
    assert set(refused.value.fields) == {"targets"}
    request = posting({"targets": [{**HOME, "households": 3}]})
    sc.own_area_for_targets(gw, PROVIDER, request, {})
    assert forwarded(gw, request)["contract_id"] == OURS


def test_lists_name_a_town_or_village_of_the_area():
    gw = Services()

    def asking(**args):
        return SimpleNamespace(args=ImmutableMultiDict(args))

    with pytest.raises(Forbidden) as refused:
        sc.own_area_in_query(gw, PROVIDER, asking(), {})
    assert set(refused.value.fields) == {"town"}
    with pytest.raises(Forbidden):
        sc.own_area_in_query(gw, PROVIDER, asking(**ELSEWHERE), {})
    with pytest.raises(Forbidden):  # the whole town is not ours, only 新北村
        sc.own_area_in_query(gw, PROVIDER, asking(town="滨河镇"), {})
    sc.own_area_in_query(gw, PROVIDER, asking(**HOME), {})


def test_a_campaigns_coverage_is_open_only_under_the_organisations_contract():
    gw, check = Services(), sc.own_campaign()
    check(gw, PROVIDER, None, {"campaign_id": "ours"})
    for other in ("theirs", "bureau"):
        with pytest.raises(OutOfScope):
            check(gw, PROVIDER, None, {"campaign_id": other})
