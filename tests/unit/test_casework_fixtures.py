"""Published-contract fixtures for casework's feeds: registry and finance
events built with shared.envelope.build (their producers are being built in
parallel), delivered through the real Consumer as a relay would."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest

from services.casework.application import CaseworkApplication
from shared import envelope
from shared.consumer import APPLIED, Consumer
from tests.support.apps import make_app, store_kind  # noqa: F401

TODAY = date(2025, 9, 30)


class Upstream:
    """One upstream service's public feed, delivered into casework's consumer."""

    def __init__(self, app, source: str):
        self.source = source
        self.sent: list[dict] = []
        handler = getattr(app, f"handle_{source}_event")
        self.consumer = Consumer(app, source, handler, self.pull)

    def pull(self, after: int, limit: int):
        found = [m for m in self.sent if m["notification_id"] > after][:limit]
        return found, (found[-1]["notification_id"] if found else after)

    def message(self, event_type: str, **payload) -> dict:
        n = len(self.sent) + 1
        built = envelope.build(
            type=event_type, source=self.source, notification_id=n, previous_notification_id=n - 1,
            originator_id=str(uuid.uuid4()), originator_version=1,
            occurred_at=datetime(2025, 7, 1, tzinfo=timezone.utc),
            meta={"actor_id": f"{self.source}-clerk", "actor_role": "bureau_admin"}, payload=payload,
        )
        self.sent.append(built)
        return built

    def publish(self, event_type: str, **payload) -> str:
        return self.consumer.receive(self.message(event_type, **payload))


class Registry(Upstream):
    def __init__(self, app):
        super().__init__(app, "registry")

    def register(self, *, born=date(2015, 5, 1), town="滨河镇", village="新北村",
                 categories=("left_behind",), name="孩子") -> uuid.UUID:
        child_id = uuid.uuid4()
        assert self.publish(
            "registry.child_registered.v1", child_id=child_id, name=name, gender="female",
            date_of_birth=born, town=town, village=village, categories=list(categories),
            registered_on=date(2025, 6, 1),
        ) == APPLIED
        return child_id

    def assess(self, child_id, level, on, due):
        return self.publish("registry.risk_level_assessed.v1", child_id=child_id, level=level,
                            assessed_on=on, next_contact_due=due)

    def visit(self, child_id, on):
        return self.publish("registry.visit_recorded.v1", child_id=child_id, visit_id=uuid.uuid4(),
                            visited_on=on, visitor="走访员", campaign_id=None)

    def age_out(self, child_id, on):
        return self.publish("registry.child_aged_out.v1", child_id=child_id, aged_out_on=on)

    def transfer_out(self, child_id, on, destination="银川市"):
        return self.publish("registry.child_transferred_out.v1", child_id=child_id,
                            transferred_on=on, destination=destination)

    def merge(self, survivor_id, merged_id, on):
        return self.publish("registry.files_merged.v1", survivor_id=survivor_id,
                            merged_id=merged_id, merged_on=on)

    def correct(self, child_id, field, value, on=date(2025, 7, 1)):
        return self.publish("registry.child_details_corrected.v1", child_id=child_id, field=field,
                            value=value, corrected_on=on)


class Finance(Upstream):
    def __init__(self, app):
        super().__init__(app, "finance")

    def tranche_paid(self, contract_id, amount_fen, on, number=1):
        return self.publish("finance.tranche_paid.v1", contract_id=contract_id, tranche_id=uuid.uuid4(),
                            number=number, amount_fen=amount_fen, paid_on=on, voucher=f"V{number}")

    def spent(self, contract_id, amount_fen, on, fund="fiscal", line="personnel"):
        return self.publish("finance.expenditure_recorded.v1", contract_id=contract_id,
                            expenditure_id=uuid.uuid4(), budget_line=line, fund=fund,
                            amount_fen=amount_fen, spent_on=on)

    def donation(self, contract_id, amount_fen, on, donor="爱心企业"):
        return self.publish("finance.donation_received.v1", donation_id=uuid.uuid4(),
                            contract_id=contract_id, donor=donor, amount_fen=amount_fen, received_on=on)


def casework_app(make):
    app = make(CaseworkApplication)
    app.clock = lambda: TODAY
    return app


@pytest.fixture
def casework(make_app):  # noqa: F811
    return casework_app(make_app)


def test_fixtures_honour_the_published_contracts_and_apply_once(casework):
    registry, finance = Registry(casework), Finance(casework)
    child = registry.register()
    assert registry.assess(child, 2, date(2025, 7, 1), date(2025, 7, 31)) == APPLIED
    assert finance.tranche_paid(uuid.uuid4(), 100, date(2025, 7, 1)) == APPLIED
    assert registry.consumer.receive(registry.sent[-1]) == "duplicate"
    assert casework.tracked_position("registry") == 2 and casework.tracked_position("finance") == 1


class Grants(Upstream):
    def __init__(self, app):
        super().__init__(app, "grants")

    def contract_signed(self, contract_id, service_lines, start=date(2025, 7, 1), end=date(2026, 6, 30)):
        return self.publish(
            "grants.contract_signed.v1", contract_id=contract_id, call_id=uuid.uuid4(),
            application_id=uuid.uuid4(), organization_id=uuid.uuid4(), amount_fen=25_000_000,
            period_start=start, period_end=end, signed_on=start,
            tranches=[{"number": 1, "percent": 40, "amount_fen": 10_000_000, "gate": "signing"},
                      {"number": 2, "percent": 30, "amount_fen": 7_500_000, "gate": "mid_term_passed"},
                      {"number": 3, "percent": 30, "amount_fen": 7_500_000, "gate": "final_passed"}],
            budget_lines=[{"line": "personnel", "amount_fen": 25_000_000}], service_lines=list(service_lines),
        )
