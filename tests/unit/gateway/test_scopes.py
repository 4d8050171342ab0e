"""The scope rules that confine provider staff to their contracts' reach and
child directors to their village (issue 13 items 2 and 11), against stand-in
services: each refusal happens before any handler, 404 where the child's
existence is private, 403 where the caller named what is not theirs."""

import json
from types import SimpleNamespace

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway import scopes as sc
from services.gateway.web.caller import Caller
from services.gateway.web.http_errors import Forbidden, OutOfScope

OURS, THEIRS = "contract-ours", "contract-theirs"
ORG = "org-1"
NEAR, FAR = "child-near", "child-far"
PROVIDER = Caller("u-1", "worker", "provider_staff", {"organization_id": ORG})
DIRECTOR = Caller("u-2", "director", "child_director", {"town": "滨河镇", "village": "新北村"})


class Services:
    """The RPCs the scope rules make, answered from a little state."""

    def __init__(self):
        self.settings = SimpleNamespace(max_body_bytes=100_000)
        self.reach = {NEAR: {OURS}, FAR: {THEIRS}}
        self.places = {NEAR: ("滨河镇", "新北村"), FAR: ("迎水桥镇", "沙坡头村")}

    def call(self, service, method, *args):
        if (service, method) == ("grants", "get_contract"):
            return {"organization_id": ORG if args[0] == OURS else "org-2"}
        if (service, method) == ("casework", "unreached"):
            return [child for child in args[1] if args[0] not in self.reach.get(child, set())]
        if (service, method) == ("casework", "child_reach"):
            mine = [c for c in self.reach.get(args[0], set()) if c == OURS and args[1]["organization_id"] == ORG]
            return {"child_id": args[0], "contracts": [{"contract_id": c} for c in mine]}
        if (service, method) == ("casework", "get_group"):
            return {"contract_id": OURS}
        if (service, method) == ("registry", "get_child"):
            town, village = self.places[args[0]]
            return {"town": town, "village": village}
        raise AssertionError((service, method, args))


def posting(body: dict) -> Request:
    return Request(EnvironBuilder(method="POST", data=json.dumps(body), content_type="application/json").get_environ())


def test_a_provider_reads_only_files_of_children_their_contracts_reach():
    gw, check = Services(), sc.child_in_own_reach()
    check(gw, PROVIDER, None, {"child_id": NEAR})
    with pytest.raises(OutOfScope):
        check(gw, PROVIDER, None, {"child_id": FAR})


@pytest.mark.parametrize(
    "fields, named",
    [
        (("child_id",), {"child_id": FAR}),
        (("member_ids",), {"member_ids": [NEAR, FAR]}),
        (("child_ids",), {"child_ids": [FAR]}),
    ],
)
def test_work_under_a_contract_is_refused_for_a_child_it_does_not_reach(fields, named):
    gw, check = Services(), sc.own_contract_reaching_children_in_body(*fields)
    with pytest.raises(OutOfScope) as refused:
        check(gw, PROVIDER, posting({"contract_id": OURS, **named}), {})
    assert FAR in str(refused.value)
    check(gw, PROVIDER, posting({"contract_id": OURS, fields[0]: NEAR if fields[0] == "child_id" else [NEAR]}), {})
    with pytest.raises(Forbidden):
        check(gw, PROVIDER, posting({"contract_id": THEIRS, fields[0]: FAR if fields[0] == "child_id" else [FAR]}), {})


def test_a_referral_brings_the_child_into_reach():
    gw, check = Services(), sc.own_contract_reaching_children_in_body("child_id")
    gw.reach[FAR] = {THEIRS, OURS}
    check(gw, PROVIDER, posting({"contract_id": OURS, "child_id": FAR}), {})
    sc.child_in_own_reach()(gw, PROVIDER, None, {"child_id": FAR})


def test_a_child_is_added_to_a_group_only_if_the_groups_contract_reaches_them():
    gw, check = Services(), sc.own_group_reaching_children_in_body()
    with pytest.raises(OutOfScope):
        check(gw, PROVIDER, posting({"child_ids": [NEAR, FAR]}), {"group_id": "g-1"})
    check(gw, PROVIDER, posting({"child_ids": [NEAR]}), {"group_id": "g-1"})


@pytest.mark.parametrize("field", ["town", "village"])
def test_a_child_director_cannot_move_a_child_out_of_their_village(field):
    gw = Services()
    with pytest.raises(Forbidden) as refused:
        sc.child_not_moved_by_director(
            gw, DIRECTOR, posting({"field": field, "value": "x", "reason": "搬家"}), {"child_id": NEAR}
        )
    assert "field" in refused.value.fields
    sc.child_not_moved_by_director(
        gw, DIRECTOR, posting({"field": "school", "value": "x", "reason": "r"}), {"child_id": NEAR}
    )
    with pytest.raises(OutOfScope):
        sc.child_not_moved_by_director(gw, DIRECTOR, posting({"field": "school"}), {"child_id": FAR})


def test_a_provider_asking_which_contracts_reach_a_child_learns_only_their_own():
    gw, request = Services(), SimpleNamespace(args={"organization_id": "org-2"})
    sc.own_reach_of_child()(gw, PROVIDER, request, {"child_id": NEAR})
    assert dict(request.args) == {"organization_id": ORG}
    with pytest.raises(OutOfScope):
        sc.own_reach_of_child()(gw, PROVIDER, request, {"child_id": FAR})


def reading(query: dict) -> Request:
    return Request(EnvironBuilder(method="GET", query_string=query).get_environ())


@pytest.mark.parametrize("path", ["/supervisions", "/project-supervisions"])
def test_sessions_held_are_read_by_the_bureau_and_auditors_and_a_provider_only_for_its_own_contract(path):
    from services.gateway.policy import access_for

    access = access_for("GET", path)
    assert access is not None
    assert access.roles["bureau_admin"] is None and access.roles["auditor"] is None  # every session
    assert not {"child_director", "finance_officer", "reviewer"} & set(access.roles)
    check, gw = access.roles["provider_staff"], Services()
    check(gw, PROVIDER, reading({"contract_id": OURS}), {})
    with pytest.raises(Forbidden) as theirs:  # another organisation's sessions
        check(gw, PROVIDER, reading({"contract_id": THEIRS}), {})
    assert "contract_id" in theirs.value.fields
    with pytest.raises(Forbidden) as unnamed:  # every organisation's at once
        check(gw, PROVIDER, reading({}), {})
    assert "contract_id" in unnamed.value.fields
