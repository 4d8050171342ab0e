"""Scope rules: what a scoped role may reach, checked against the records the
services hold. Each rule takes the gateway worker (for bounded RPC calls), the
caller, the request and the path values, and refuses by raising:
OutOfScope (404) where the record's existence is private to the caller,
Forbidden (403) where the caller named something that is not theirs."""

from __future__ import annotations

import json
from collections.abc import Callable

from werkzeug.datastructures import ImmutableMultiDict

from services.gateway.web.caller import Caller
from services.gateway.web.http_errors import Forbidden, OutOfScope
from services.gateway.web.inputs import json_body
from shared.errors import RuleViolation

Scope = Callable[[object, Caller, object, dict], None]


def _hidden(what: str, identifier: str) -> OutOfScope:
    return OutOfScope(f"no {what} with id {identifier}")


def _body(gw, request) -> dict:
    data = json_body(request, gw.settings.max_body_bytes)
    return data if isinstance(data, dict) else {}


def _organization_of_contract(gw, contract_id) -> str | None:
    return gw.call("grants", "get_contract", str(contract_id))["organization_id"]


def _is_own_contract(gw, caller: Caller, contract_id) -> bool:
    return _organization_of_contract(gw, contract_id) == caller.scope["organization_id"]


# -- children (registry files) ----------------------------------------------------


def child_in_own_village(param: str = "child_id") -> Scope:
    def check(gw, caller, request, values):
        child = gw.call("registry", "get_child", values[param], None)
        if (child["town"], child["village"]) != (caller.scope["town"], caller.scope["village"]):
            raise _hidden("child", values[param])

    return check


def child_in_own_reach(param: str = "child_id") -> Scope:
    """A child one of the caller's organisation's contracts reaches: living in
    its service area, or referred to it (casework keeps both)."""

    def check(gw, caller, request, values):
        reach = gw.call("casework", "child_reach", values[param], {"organization_id": caller.scope["organization_id"]})
        if not reach["contracts"]:
            raise _hidden("child", values[param])

    return check


def own_reach_of_child(param: str = "child_id") -> Scope:
    """As child_in_own_reach, and the answer names only the caller's
    organisation's contracts (other providers' are not theirs to know)."""
    in_reach = child_in_own_reach(param)

    def check(gw, caller, request, values):
        in_reach(gw, caller, request, values)
        request.args = ImmutableMultiDict({"organization_id": caller.scope["organization_id"]})

    return check


def child_not_moved_by_director(gw, caller, request, values) -> None:
    """A director corrects their village's files, but moving a child to another
    town or village takes the child out of their reach: the bureau does that."""
    child_in_own_village()(gw, caller, request, values)
    field = _body(gw, request).get("field")
    if field in ("town", "village"):
        raise Forbidden(
            "moving a child to another town or village needs the bureau",
            {"field": [f"child directors cannot correct {field}; ask the bureau"]},
        )


def own_village_in_body(request_fields=("town", "village")) -> Scope:
    def check(gw, caller, request, values):
        body = _body(gw, request)
        wrong = {
            name: [f"child directors work in {caller.scope[name]} only"]
            for name in request_fields
            if name in body and body[name] != caller.scope[name]
        }
        if wrong:
            raise Forbidden("outside your village", wrong)

    return check


def own_village_in_query(gw, caller, request, values) -> None:
    """Lists are narrowed to the caller's village; asking for another is refused."""
    args = request.args.to_dict()
    wrong = {
        name: [f"child directors see {caller.scope[name]} only"]
        for name in ("town", "village")
        if name in args and args[name] != caller.scope[name]
    }
    if wrong:
        raise Forbidden("outside your village", wrong)
    request.args = ImmutableMultiDict({**args, "town": caller.scope["town"], "village": caller.scope["village"]})


# -- contracts, cases and groups (provider staff) --------------------------------------


def own_contract(param: str = "contract_id") -> Scope:
    def check(gw, caller, request, values):
        if not _is_own_contract(gw, caller, values[param]):
            raise _hidden("contract", values[param])

    return check


def _named_contract_is_own(gw, caller, contract_id, where: str) -> None:
    if not contract_id:
        raise Forbidden(
            "provider staff work under one of their organisation's contracts",
            {"contract_id": [f"required in the {where} for provider staff"]},
        )
    if not _is_own_contract(gw, caller, contract_id):
        raise Forbidden("not your organisation's contract", {"contract_id": ["is not a contract of your organisation"]})


def own_contract_in_body(gw, caller, request, values) -> None:
    _named_contract_is_own(gw, caller, _body(gw, request).get("contract_id"), "body")


def own_contract_in_query(gw, caller, request, values) -> None:
    _named_contract_is_own(gw, caller, request.args.get("contract_id"), "query")


def _record_of_own_contract(method: str, what: str, param: str) -> Scope:
    def check(gw, caller, request, values):
        contract_id = gw.call("casework", method, values[param]).get("contract_id")
        if not contract_id or not _is_own_contract(gw, caller, contract_id):
            raise _hidden(what, values[param])

    return check


own_case = _record_of_own_contract("get_case", "case", "case_id")
own_group = _record_of_own_contract("get_group", "group", "group_id")


def _named_children(body: dict, field: str) -> list[str]:
    """The child ids a body names in `field` (one id or a list). Malformed
    values are left to the request's own validation."""
    value = body.get(field)
    named = value if isinstance(value, list) else [value]
    return [child for child in named if isinstance(child, str) and child]


def _children_reached(gw, contract_id, children: list[str]) -> None:
    if not children:
        return
    unreached = gw.call("casework", "unreached", str(contract_id), children)
    if unreached:
        raise _hidden("child", unreached[0])


def own_contract_reaching_children_in_body(*child_fields: str) -> Scope:
    """The body's contract is the caller's organisation's, and every child it
    names is one that contract reaches (404 otherwise: the child is private)."""

    def check(gw, caller, request, values):
        own_contract_in_body(gw, caller, request, values)
        body = _body(gw, request)
        for field in child_fields:
            _children_reached(gw, body["contract_id"], _named_children(body, field))

    return check


def own_group_reaching_children_in_body(field: str = "child_ids") -> Scope:
    def check(gw, caller, request, values):
        contract_id = gw.call("casework", "get_group", values["group_id"]).get("contract_id")
        if not contract_id or not _is_own_contract(gw, caller, contract_id):
            raise _hidden("group", values["group_id"])
        _children_reached(gw, contract_id, _named_children(_body(gw, request), field))

    return check


# -- line 1 (摸底走访建档): the provider's screening, visits and files ---------------------
# 卫沙民社函〔2025〕11号 §三.(四).1: provider staff open files, visit and run screening
# campaigns in their contract's service area. The gateway names the contract the
# work is done under (never trusting one from the body unchecked) and writes it
# into the body the registry receives.


def _line1_contract(gw, caller, request, addresses: list[tuple[str, str | None]], out_of_area: Exception) -> None:
    """The caller's organisation's contract whose service area covers every
    address: the body's `contract_id` if it names one (it must be the
    organisation's and cover them), else the only one that does. Refuses with
    `out_of_area` when none covers them; 422 when several do and none is named."""
    body = _body(gw, request)
    covering = gw.call("casework", "contracts_covering", caller.scope["organization_id"], [list(a) for a in addresses])
    named = body.get("contract_id")
    if named is not None:
        if not isinstance(named, str) or not _is_own_contract(gw, caller, named):
            raise Forbidden(
                "not your organisation's contract", {"contract_id": ["is not a contract of your organisation"]}
            )
        if named not in covering:
            raise out_of_area
        return
    if not covering:
        raise out_of_area
    if len(covering) > 1:
        raise RuleViolation(
            {"contract_id": ["several of your contracts cover this place: name the one you work under"]}
        )
    _rewrite_body(request, {**body, "contract_id": covering[0]})


def _rewrite_body(request, body: dict) -> None:
    """The body the route forwards, with the contract the gateway derived."""
    request._gateway_body = json.dumps(body, ensure_ascii=False).encode("utf-8")


def _is_object_body(gw, request) -> bool:
    return isinstance(json_body(request, gw.settings.max_body_bytes), dict)


def own_area_in_body(gw, caller, request, values) -> None:
    """A file opened by provider staff: the child's town and village lie in
    one of their organisation's contracts' service areas (403 otherwise)."""
    if not _is_object_body(gw, request):
        return  # the route's own validation refuses it
    body = _body(gw, request)
    town, village = body.get("town"), body.get("village")
    if not isinstance(town, str) or not isinstance(village, str):
        return  # required fields: the route's validation names them
    refusal = Forbidden(
        "outside your contract's service area",
        {"village": [f"{town} {village} is not in the service area of your organisation's contracts"]},
    )
    _line1_contract(gw, caller, request, [(town, village)], refusal)


def child_in_own_area(param: str = "child_id") -> Scope:
    """A visit by provider staff: the child lives in the service area of one
    of their organisation's contracts (404 otherwise: the file is private)."""

    def check(gw, caller, request, values):
        child = gw.call("registry", "get_child", values[param], None)
        if not _covering_any(gw, caller, child):
            raise _hidden("child", values[param])
        if _is_object_body(gw, request):
            _line1_contract(gw, caller, request, [(child["town"], child["village"])], _hidden("child", values[param]))

    return check


def _covering_any(gw, caller, child: dict) -> bool:
    found = gw.call(
        "casework", "contracts_covering", caller.scope["organization_id"], [[child["town"], child["village"]]]
    )
    return bool(found)


def own_area_for_targets(gw, caller, request, values) -> None:
    """A screening campaign run by provider staff: every target village lies
    in the service area of the contract it is run under (403 otherwise)."""
    if not _is_object_body(gw, request):
        return
    targets = _body(gw, request).get("targets")
    if not isinstance(targets, list) or not targets:
        return
    addresses = []
    for target in targets:
        if not isinstance(target, dict) or not isinstance(target.get("town"), str):
            return
        if not isinstance(target.get("village"), str):
            return
        addresses.append((target["town"], target["village"]))
    refusal = Forbidden(
        "outside your contract's service area",
        {"targets": ["every target village must lie in the service area of the contract the campaign is run under"]},
    )
    _line1_contract(gw, caller, request, addresses, refusal)


def own_area_in_query(gw, caller, request, values) -> None:
    """Provider staff list the children of a town (or village) their
    organisation's contracts cover; they name it, and nothing else is listed."""
    args = request.args.to_dict()
    town, village = args.get("town"), args.get("village")
    if not town:
        raise Forbidden(
            "provider staff list the children of their service area",
            {"town": ["name a town (and village) of your contract's service area"]},
        )
    if not gw.call("casework", "contracts_covering", caller.scope["organization_id"], [[town, village]]):
        raise Forbidden(
            "outside your contract's service area",
            {"village" if village else "town": ["is not in the service area of your organisation's contracts"]},
        )


def own_campaign(param: str = "campaign_id") -> Scope:
    """A campaign run under one of the caller's organisation's contracts."""

    def check(gw, caller, request, values):
        contract_id = gw.call("registry", "campaign_coverage", values[param]).get("contract_id")
        if not contract_id or not _is_own_contract(gw, caller, contract_id):
            raise _hidden("campaign", values[param])

    return check


# -- organisations and applications ----------------------------------------------------


def own_organization(param: str = "organization_id") -> Scope:
    def check(gw, caller, request, values):
        if values[param] != caller.scope["organization_id"]:
            raise Forbidden("not your organisation", {param: ["is not your organisation"]})

    return check


def own_organization_in_query(gw, caller, request, values) -> None:
    """Lists are narrowed to the caller's organisation, taken from the token,
    never from the query: asking for another organisation is refused."""
    args = request.args.to_dict()
    own = caller.scope["organization_id"]
    if args.get("organization_id", own) != own:
        raise Forbidden(
            "not your organisation", {"organization_id": ["provider staff see their own organisation only"]}
        )
    request.args = ImmutableMultiDict({**args, "organization_id": own})


def own_organization_in_body(gw, caller, request, values) -> None:
    if _body(gw, request).get("organization_id") != caller.scope["organization_id"]:
        raise Forbidden(
            "provider staff apply for their own organisation only", {"organization_id": ["must be your organisation"]}
        )


def own_application(param: str = "application_id") -> Scope:
    def check(gw, caller, request, values):
        application = gw.call("grants", "get_application", values[param])
        if application["organization_id"] != caller.scope["organization_id"]:
            raise _hidden("application", values[param])

    return check


def _reviewer_member_for(gw, caller, application_id) -> str:
    """The caller's panel seat on the application's call; refuses an
    application the caller is not assigned to, or declared a conflict with."""
    application = gw.call("grants", "get_application", application_id)
    call = gw.call("grants", "get_call", application["call_id"])
    seats = {str(m.get("member_id")) for m in call["panel"]} & set(caller.scope["panel_member_ids"])
    if not seats:
        raise _hidden("application", application_id)
    member = seats.pop()
    for declaration in call["declarations"]:
        if (str(declaration.get("member_id")), str(declaration.get("application_id"))) == (
            member,
            application_id,
        ) and declaration.get("conflicted"):
            raise Forbidden(
                "you declared a conflict of interest with this application",
                {"application_id": ["conflict of interest declared"]},
            )
    return member


def assigned_application(param: str = "application_id") -> Scope:
    def check(gw, caller, request, values):
        _reviewer_member_for(gw, caller, values[param])

    return check


def assigned_application_scored_as_self(param: str = "application_id") -> Scope:
    def check(gw, caller, request, values):
        member = _body(gw, request).get("member_id")
        if member not in caller.scope["panel_member_ids"]:
            raise Forbidden("reviewers score in their own name", {"member_id": ["must be your own panel seat"]})
        _reviewer_member_for(gw, caller, values[param])

    return check


def own_panel_seat(param: str = "member_id") -> Scope:
    def check(gw, caller, request, values):
        if values[param] not in caller.scope["panel_member_ids"]:
            raise Forbidden("reviewers declare for their own seat only", {param: ["is not your panel seat"]})

    return check


def own_submissions_only(gw, caller, request, values) -> None:
    """Nothing to refuse: the route itself answers only what the caller sent
    (GET /offline-conflicts filters a child director's list by sender)."""
