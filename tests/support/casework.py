"""Builders for casework tests: its upstream feeds (registry, finance, grants
events built to their published contracts with shared.envelope.build and
delivered through the real Consumer as a relay would), an application on the
test calendar, and a quarter of work whose report figures are known by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from services.casework.application import CaseworkApplication
from shared import envelope
from shared.consumer import APPLIED
from tests.support.feeds import dev_consumer, sign_as_source

TODAY = date(2025, 9, 30)


class Upstream:
    """One upstream service's public feed, delivered into casework's consumer."""

    def __init__(self, app, source: str):
        self.source = source
        self.sent: list[dict] = []
        handler = getattr(app, f"handle_{source}_event")
        self.consumer = dev_consumer(app, source, handler, self.pull)

    def pull(self, after: int, limit: int):
        found = [m for m in self.sent if m["notification_id"] > after][:limit]
        return found, (found[-1]["notification_id"] if found else after)

    def message(self, event_type: str, **payload) -> dict:
        n = len(self.sent) + 1
        built = sign_as_source(
            envelope.build(
                type=event_type,
                source=self.source,
                notification_id=n,
                previous_notification_id=n - 1,
                originator_id=str(uuid.uuid4()),
                originator_version=1,
                occurred_at=datetime(2025, 7, 1, tzinfo=UTC),
                meta={"actor_id": f"{self.source}-clerk", "actor_role": "bureau_admin"},
                payload=payload,
            )
        )
        self.sent.append(built)
        return built

    def publish(self, event_type: str, **payload) -> str:
        return self.consumer.receive(self.message(event_type, **payload))


class Registry(Upstream):
    def __init__(self, app):
        super().__init__(app, "registry")

    def register(
        self,
        *,
        born=date(2015, 5, 1),
        town="滨河镇",
        village="新北村",
        categories=("left_behind",),
        name="孩子",
        registered_on=date(2025, 6, 1),
        contract_id=None,
    ) -> uuid.UUID:
        """v1 as before line 1 was a contract's work; v2 when opened under a contract."""
        child_id = uuid.uuid4()
        facts = dict(
            child_id=child_id,
            name=name,
            gender="female",
            date_of_birth=born,
            town=town,
            village=village,
            categories=list(categories),
            registered_on=registered_on,
        )
        if contract_id is None:
            published = self.publish("registry.child_registered.v1", **facts)
        else:
            published = self.publish(
                "registry.child_registered.v2",
                **facts,
                contract_id=contract_id,
                campaign_id=None,
                found_on=registered_on,
            )
        assert published == APPLIED
        return child_id

    def assess(self, child_id, level, on, due):
        return self.publish(
            "registry.risk_level_assessed.v1", child_id=child_id, level=level, assessed_on=on, next_contact_due=due
        )

    def visit(self, child_id, on, contract_id=None, household=None):
        """v1 (no contract: the bureau's or a director's) unless made under a contract (v2)."""
        visit = dict(child_id=child_id, visit_id=uuid.uuid4(), visited_on=on, visitor="走访员", campaign_id=None)
        if contract_id is None:
            return self.publish("registry.visit_recorded.v1", **visit)
        return self.publish("registry.visit_recorded.v2", **visit, contract_id=contract_id, household=household)

    def age_out(self, child_id, on):
        return self.publish("registry.child_aged_out.v1", child_id=child_id, aged_out_on=on)

    def transfer_out(self, child_id, on, destination="银川市"):
        return self.publish(
            "registry.child_transferred_out.v1", child_id=child_id, transferred_on=on, destination=destination
        )

    def merge(self, survivor_id, merged_id, on):
        return self.publish("registry.files_merged.v1", survivor_id=survivor_id, merged_id=merged_id, merged_on=on)

    def correct(self, child_id, field, value, on=date(2025, 7, 1)):
        return self.publish(
            "registry.child_details_corrected.v1", child_id=child_id, field=field, value=value, corrected_on=on
        )


class Finance(Upstream):
    def __init__(self, app):
        super().__init__(app, "finance")

    def tranche_paid(self, contract_id, amount_fen, on, number=1):
        return self.publish(
            "finance.tranche_paid.v1",
            contract_id=contract_id,
            tranche_id=uuid.uuid4(),
            number=number,
            amount_fen=amount_fen,
            paid_on=on,
            voucher=f"V{number}",
        )

    def spent(self, contract_id, amount_fen, on, fund="fiscal", line="personnel"):
        return self.publish(
            "finance.expenditure_recorded.v1",
            contract_id=contract_id,
            expenditure_id=uuid.uuid4(),
            budget_line=line,
            fund=fund,
            amount_fen=amount_fen,
            spent_on=on,
        )

    def donation(self, contract_id, amount_fen, on, donor="爱心企业"):
        return self.publish(
            "finance.donation_received.v1",
            donation_id=uuid.uuid4(),
            contract_id=contract_id,
            donor=donor,
            amount_fen=amount_fen,
            received_on=on,
        )


class Grants(Upstream):
    def __init__(self, app):
        super().__init__(app, "grants")

    def contract_signed(
        self,
        contract_id,
        service_lines,
        start=date(2025, 7, 1),
        end=date(2026, 6, 30),
        service_area=None,
        organization_id=None,
    ):
        """v2 (with its service area) when one is given, else v1 as signed before areas."""
        area = {} if service_area is None else {"service_area": service_area}
        return self.publish(
            "grants.contract_signed.v2" if area else "grants.contract_signed.v1",
            **area,
            contract_id=contract_id,
            call_id=uuid.uuid4(),
            application_id=uuid.uuid4(),
            organization_id=organization_id or uuid.uuid4(),
            amount_fen=25_000_000,
            period_start=start,
            period_end=end,
            signed_on=start,
            tranches=[
                {"number": 1, "percent": 40, "amount_fen": 10_000_000, "gate": "signing"},
                {"number": 2, "percent": 30, "amount_fen": 7_500_000, "gate": "mid_term_passed"},
                {"number": 3, "percent": 30, "amount_fen": 7_500_000, "gate": "final_passed"},
            ],
            budget_lines=[{"line": "personnel", "amount_fen": 25_000_000}],
            service_lines=list(service_lines),
        )


def casework_app(make):
    """A casework application from `make` (tests.support.apps.make_app), dated TODAY."""
    app = make(CaseworkApplication)
    app.clock = lambda: TODAY
    return app


# A quarter of work ----------------------------------------------------------
C, OTHER = uuid.UUID(int=1), uuid.UUID(int=2)


def scenario(app):
    """Q3 2025 under contract C, a little under OTHER (the expected figures are in
    tests/unit/casework/test_report.py)."""
    registry, finance = Registry(app), Finance(app)
    a = registry.register(born=date(2015, 1, 1), town="滨河镇", categories=("left_behind",))
    b = registry.register(born=date(2014, 1, 1), town="滨河镇", categories=("distressed",))
    c = registry.register(born=date(2016, 1, 1), town="迎水桥镇", categories=("left_behind", "distressed"))
    d = registry.register(born=date(2013, 1, 1), town="迎水桥镇", categories=("unattended",))
    e = registry.register(born=date(2012, 1, 1), town="宣和镇", categories=("left_behind",))
    f = registry.register(born=date(2007, 9, 1), town="滨河镇", categories=("left_behind",))
    registry.assess(a, 1, date(2025, 7, 1), date(2025, 7, 8))
    registry.assess(b, 2, date(2025, 7, 1), date(2025, 7, 31))
    registry.assess(c, 3, date(2025, 7, 1), date(2025, 9, 29))
    registry.visit(a, date(2025, 7, 5), contract_id=C, household="马家")  # line 1 under C
    registry.visit(a, date(2025, 9, 28), contract_id=C, household="马家")  # due again 10-05: not overdue at 09-30
    registry.visit(b, date(2025, 7, 20))  # a director's visit (no contract); due 08-19: overdue
    registry.visit(e, date(2025, 6, 15))  # Q2: not counted

    case_a = app.open_case(
        child_id=a, contract_id=C, worker="w", opened_on=date(2025, 7, 3), referral_source="", presenting_needs=""
    )
    case_f = app.open_case(
        child_id=f, contract_id=C, worker="w", opened_on=date(2025, 7, 2), referral_source="", presenting_needs=""
    )
    app.open_case(
        child_id=b, contract_id=OTHER, worker="w", opened_on=date(2025, 7, 10), referral_source="", presenting_needs=""
    )
    for case_id, minutes, day in ((case_a, 60, 6), (case_a, 45, 20), (case_f, 30, 8)):
        app.record_case_session(
            case_id,
            held_on=date(2025, 7, day),
            worker="w",
            session_type="home_visit",
            duration_minutes=minutes,
            notes="",
        )
    app.assess_case(case_a, assessed_on=date(2025, 7, 4), worker="w", summary="s", needs=["n"])
    [goal] = app.set_case_plan(
        case_a, planned_on=date(2025, 7, 5), worker="w", goals=[{"description": "g", "target_date": None}]
    )
    app.review_case(
        case_a,
        reviewed_on=date(2025, 8, 1),
        worker="w",
        notes="",
        goal_progress=[{"goal_id": goal, "status": "in_progress"}],
    )
    registry.age_out(f, date(2025, 8, 31))
    app.close_case(case_f, closed_on=date(2025, 9, 1), reason="aged_out", worker="w", summary="")

    group = app.form_group(
        name="g",
        purpose="p",
        service_line="tiered_management",
        contract_id=C,
        min_age=8,
        max_age=12,
        formed_on=date(2025, 7, 15),
        worker="w",
        member_ids=[a, b, c],
    )
    app.record_group_session(
        group, held_on=date(2025, 7, 20), topic="t", worker="w", duration_minutes=60, attended_child_ids=[a, b, c]
    )
    app.record_group_session(
        group, held_on=date(2025, 8, 20), topic="t", worker="w", duration_minutes=60, attended_child_ids=[a, b]
    )

    def activity(**details):
        base = dict(
            title="t",
            contract_id=C,
            town="滨河镇",
            village=None,
            child_ids=[],
            guardian_count=0,
            community_count=0,
            topics=[],
            theme=None,
            organization_id=None,
            worker="w",
        )
        app.record_activity(**{**base, **details})

    activity(
        kind="monthly_theme",
        held_on=date(2025, 7, 20),
        theme="防溺水",
        child_ids=[a, d],
        guardian_count=3,
        community_count=10,
    )
    activity(
        kind="safety_education_children",
        held_on=date(2025, 8, 5),
        topics=["drowning", "road_safety"],
        child_ids=[a, b, c],
    )
    activity(
        kind="safety_education_guardians", held_on=date(2025, 8, 6), topics=["fire_and_electricity"], guardian_count=12
    )
    activity(kind="protection_month", held_on=date(2025, 9, 1), community_count=40)
    org = app.nurture_organization(
        name="护童队", town="滨河镇", village=None, focus="f", contract_id=C, nurtured_on=date(2025, 7, 25)
    )
    activity(kind="social_organization_activity", held_on=date(2025, 8, 15), organization_id=org, community_count=20)

    def care(child, kind, value, day):
        app.give_care_service(
            child_id=child,
            contract_id=C,
            kind=kind,
            given_on=day,
            value_fen=value,
            resource="爱心企业",
            occasion=None,
            worker="w",
            notes="",
        )

    care(a, "hardship_aid", 50000, date(2025, 8, 10))
    care(d, "reading_guidance", None, date(2025, 8, 11))
    care(c, "festival_visit", 20000, date(2025, 9, 15))

    x = app.appoint_director(name="李", town="滨河镇", village="新北村", phone=None, appointed_on=date(2025, 1, 1))
    y = app.appoint_director(name="马", town="迎水桥镇", village="沙坡头村", phone=None, appointed_on=date(2025, 1, 1))
    app.hold_supervision(
        kind="supervision",
        held_on=date(2025, 8, 20),
        contract_id=C,
        topic="t",
        supervisor="s",
        director_ids=[x],
        duration_minutes=60,
        notes="",
    )
    app.hold_supervision(
        kind="cross_learning",
        held_on=date(2025, 9, 10),
        contract_id=C,
        topic="t",
        supervisor="s",
        director_ids=[x, y],
        duration_minutes=60,
        notes="",
    )

    finance.tranche_paid(C, 10_000_000, date(2025, 7, 1))
    finance.spent(C, 1_234_500, date(2025, 8, 1), line="personnel")
    finance.donation(C, 500_000, date(2025, 8, 2))
    finance.spent(C, 200_000, date(2025, 9, 2), fund="donation", line="materials")
    finance.tranche_paid(OTHER, 7_777, date(2025, 7, 1))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
