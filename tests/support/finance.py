"""Published grants contract fixtures for finance tests: envelopes exactly as
grants' relay would publish them (shared.envelope.build, source "grants"),
numbered and linked, plus a Consumer that feeds them to finance.

Grants is built separately; these fixtures follow shared/contracts/grants.py,
so finance is tested against the contract, not against grants' code."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from shared import envelope
from tests.support.feeds import dev_consumer, sign_as_source

SEED_FEN = 25_000_000  # 25万元, seed 三.(五)
SEED_PLAN = [(1, 40, "signing"), (2, 30, "mid_term_passed"), (3, 30, "final_passed")]
BUDGET = [("staff", 12_000_000), ("activities", 8_000_000), ("supervision", 3_000_000), ("admin", 2_000_000)]


class GrantsFeed:
    """One call, one application, one contract, and the grants events about them."""

    def __init__(self, amount_fen: int = SEED_FEN, plan=None):
        self.call_id, self.application_id, self.organization_id, self.contract_id = (uuid.uuid4() for _ in range(4))
        self.amount_fen = amount_fen
        self.plan = plan or SEED_PLAN
        self.sent: list[dict[str, Any]] = []
        self.start = 0

    def _envelope(self, type_: str, payload: dict[str, Any], originator: uuid.UUID) -> dict[str, Any]:
        n = self.start + len(self.sent) + 1
        built = sign_as_source(
            envelope.build(
                type=type_,
                source="grants",
                notification_id=n,
                previous_notification_id=n - 1,
                originator_id=str(originator),
                originator_version=n,
                occurred_at=datetime(2025, 5, 13, tzinfo=UTC),
                meta={"actor_id": "bureau-1", "actor_role": "bureau_admin", "correlation_id": f"c{n}"},
                payload=payload,
            )
        )
        self.sent.append(built)
        return built

    def call_published(self, on=date(2025, 5, 13), budget_fen=None):
        return self._envelope(
            "grants.call_published.v1",
            {
                "call_id": self.call_id,
                "title": "沙坡头区2025年购买留守儿童和困境儿童关爱服务项目",
                "budget_fen": self.amount_fen if budget_fen is None else budget_fen,
                "service_start": date(2025, 7, 1),
                "service_end": date(2026, 6, 30),
                "published_on": on,
            },
            self.call_id,
        )

    def determined(self, on=date(2025, 6, 20), amount_fen=None):
        return self._envelope(
            "grants.application_determined.v1",
            {
                "call_id": self.call_id,
                "application_id": self.application_id,
                "organization_id": self.organization_id,
                "amount_fen": self.amount_fen if amount_fen is None else amount_fen,
                "determined_on": on,
            },
            self.application_id,
        )

    def voided(self, on=date(2025, 6, 25), reason="false materials found before signing"):
        return self._envelope(
            "grants.determination_voided.v1",
            {
                "call_id": self.call_id,
                "application_id": self.application_id,
                "reason": reason,
                "voided_on": on,
            },
            self.call_id,
        )

    def signed(self, on=date(2025, 7, 1), plan=None, stated=None):
        plan = plan or self.plan
        stated = stated or {}
        tranches = []
        for number, percent, gate in plan:
            tranches.append(
                {
                    "number": number,
                    "percent": percent,
                    "gate": gate,
                    "amount_fen": stated.get(number, self.amount_fen * percent // 100),
                }
            )
        return self._envelope(
            "grants.contract_signed.v1",
            {
                "contract_id": self.contract_id,
                "call_id": self.call_id,
                "application_id": self.application_id,
                "organization_id": self.organization_id,
                "amount_fen": self.amount_fen,
                "period_start": date(2025, 7, 1),
                "period_end": date(2026, 6, 30),
                "signed_on": on,
                "tranches": tranches,
                "budget_lines": [{"line": n, "amount_fen": a} for n, a in BUDGET],
                "service_lines": ["screening_and_files", "life_care", "safety_education"],
            },
            self.contract_id,
        )

    def _evaluation(self, type_, passed, on, score=None):
        score = score if score is not None else ("85.0" if passed else "55.0")
        return self._envelope(
            type_,
            {
                "contract_id": self.contract_id,
                "evaluation_id": uuid.uuid4(),
                "score": score,
                "grade": "good" if passed else "poor",
                "passed": passed,
                "evaluated_on": on,
            },
            self.contract_id,
        )

    def mid_term(self, passed=True, on=date(2026, 1, 10)):
        return self._evaluation("grants.mid_term_evaluation_recorded.v1", passed, on)

    def completed(self, on=date(2026, 6, 30)):
        return self._envelope(
            "grants.completion_recorded.v1", {"contract_id": self.contract_id, "completed_on": on}, self.contract_id
        )

    def effectiveness(self, passed=True, on=date(2026, 7, 15)):
        return self._evaluation("grants.effectiveness_evaluation_recorded.v1", passed, on)

    def suspended(self, on=date(2025, 10, 1), reason="quarterly report not submitted"):
        return self._envelope(
            "grants.contract_suspended.v1",
            {"contract_id": self.contract_id, "reason": reason, "suspended_on": on},
            self.contract_id,
        )

    def reinstated(self, on=date(2025, 11, 1)):
        return self._envelope(
            "grants.contract_reinstated.v1", {"contract_id": self.contract_id, "reinstated_on": on}, self.contract_id
        )

    def terminated(self, on=date(2025, 12, 1), recovery_fen=None, reason="false_materials"):
        return self._envelope(
            "grants.contract_terminated.v1",
            {
                "contract_id": self.contract_id,
                "organization_id": self.organization_id,
                "reason": reason,
                "terminated_on": on,
                "recovery_fen": recovery_fen,
            },
            self.contract_id,
        )

    def terminated_v2(
        self,
        on=date(2025, 12, 1),
        reason="false_materials",
        recovery_rule="all_paid",
        recovery_fen=None,
        delivered_fen=None,
        basis="申报材料虚假",
    ):
        return self._envelope(
            "grants.contract_terminated.v2",
            {
                "contract_id": self.contract_id,
                "organization_id": self.organization_id,
                "reason": reason,
                "terminated_on": on,
                "recovery_rule": recovery_rule,
                "recovery_fen": recovery_fen,
                "delivered_fen": delivered_fen,
                "basis": basis,
            },
            self.contract_id,
        )

    def terminated_without_fault(self, delivered_fen, on=date(2025, 12, 1), basis="洪水致服务无法继续，无过错终止"):
        return self.terminated_v2(
            on=on, reason="force_majeure", recovery_rule="unspent_undelivered", delivered_fen=delivered_fen, basis=basis
        )

    def signed_up_to_contract(self):
        return [self.call_published(), self.determined(), self.signed()]

    def pull(self, after: int, limit: int):
        """The upstream's pull RPC, for gap filling."""
        found = [e for e in self.sent if e["notification_id"] > after][:limit]
        return found, (found[-1]["notification_id"] if found else after)


def consumer_for(app, feed: GrantsFeed):
    return dev_consumer(app, "grants", app.handle_grants_event, feed.pull)


def deliver(app, feed: GrantsFeed, *envelopes) -> list[str]:
    consumer = consumer_for(app, feed)
    return [consumer.receive(e) for e in envelopes]
