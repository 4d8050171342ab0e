"""Finance's registers as they stood (issue 17 item 4): a contract's tranches
and payments, the recoveries, the journal and the trial balance rebuilt from
finance's log at the position a read named equal that read, whatever was
paid, collected or reversed since; a date's end rebuilds at the last position
recorded by then; a point ahead of the log is refused."""

import copy
from datetime import date, timedelta

import pytest

from services.finance.exceptions import ContractNotFound
from shared.clock import programme_today
from shared.errors import RuleViolation
from tests.support.finance import deliver

BALANCE_DATE = date(2030, 1, 1)


def registers(app, feed, **point):
    """What a read answers (copied: the live read models' rows change after)."""
    position = point.get("as_of_position")
    return copy.deepcopy(
        {
            "funding": app.get_funding(feed.contract_id, **point),
            "recoveries": app.list_recoveries(status="all", **point),
            "journal": app.journal(limit=1000, **point),
            "trial_balance": app.trial_balance(BALANCE_DATE, position),
        }
    )


@pytest.fixture
def now(app, feed, clock):
    clock.today = programme_today()  # a date's end is found by when events were recorded
    tranche = app.get_funding(feed.contract_id)["tranches"][0]
    app.pay_tranche(tranche["tranche_id"], amount_fen=tranche["amount_fen"], voucher="PV-1")
    deliver(app, feed, feed.terminated(on=date(2025, 7, 8)))
    return registers(app, feed)


def change_everything(app):
    (recovery,), _ = app.list_recoveries()
    app.collect_recovery(recovery["recovery_id"], amount_fen=4_000_000, reference="BANK-1")


def test_every_register_rebuilt_at_its_position_is_the_register_read_then(app, feed, now):
    position = now["journal"][1]
    assert position == app.head_position()
    assert {now["funding"]["as_of_position"], now["recoveries"][1], now["trial_balance"]["as_of_position"]} == {
        position
    }
    change_everything(app)
    later = registers(app, feed)
    for name in now:
        assert later[name] != now[name], name
    assert registers(app, feed, as_of_position=position) == now


def test_a_journal_page_read_at_a_position_continues_at_it(app, feed, now):
    position = now["journal"][1]
    change_everything(app)
    first, _ = app.journal(limit=2, as_of_position=position)
    rest, _ = app.journal(after=2, limit=1000, as_of_position=position)
    assert first + rest == now["journal"][0]


def test_a_date_rebuilds_at_the_last_position_recorded_by_its_end(app, feed, now):
    today = programme_today()
    assert app.list_recoveries(status="all", as_of=today) == now["recoveries"]
    assert app.journal(limit=1000, as_of=today) == now["journal"]
    assert app.get_funding(feed.contract_id, as_of=today) == now["funding"]
    yesterday = today - timedelta(days=1)
    assert app.list_recoveries(status="all", as_of=yesterday) == ([], 0)
    with pytest.raises(ContractNotFound):  # the contract was not known to finance then
        app.get_funding(feed.contract_id, as_of=yesterday)


def test_a_point_ahead_of_the_log_is_refused(app, feed, now):
    ahead = app.head_position() + 1
    for read in (
        lambda: app.get_funding(feed.contract_id, as_of_position=ahead),
        lambda: app.list_recoveries(as_of_position=ahead),
        lambda: app.journal(as_of_position=ahead),
        lambda: app.trial_balance(None, ahead),
        lambda: app.reconciliation(as_of_position=ahead),
    ):
        with pytest.raises(RuleViolation) as refused:
            read()
        assert "as_of_position" in refused.value.fields
    for read_ahead in (app.journal, app.reconciliation):
        with pytest.raises(RuleViolation) as refused:
            read_ahead(as_of=programme_today() + timedelta(days=1))
        assert "as_of" in refused.value.fields


def test_the_schemas_refuse_both_points_and_bad_ones():
    from services.finance.schemas import (
        FundingQuery,
        JournalQuery,
        ReconciliationQuery,
        RecoveriesQuery,
        TrialBalanceQuery,
    )

    for schema in (FundingQuery(), JournalQuery(), RecoveriesQuery(), ReconciliationQuery()):
        assert "as_of_position" in schema.validate({"as_of": "2025-06-01", "as_of_position": "3"})
        assert "as_of" in schema.validate({"as_of": "yesterday"})
        assert "as_of_position" in schema.validate({"as_of_position": "-1"})
    # the trial balance's as_of is its balance date: it goes with a position
    assert TrialBalanceQuery().validate({"as_of": "2025-06-01", "as_of_position": "3"}) == {}
    assert "as_of_position" in TrialBalanceQuery().validate({"as_of_position": "x"})


def test_the_reconciliation_as_it_stood_is_the_one_read_then_whatever_was_posted_since(app, feed, now):
    then = copy.deepcopy(app.reconciliation())
    assert then["as_of_position"] == app.head_position()
    (row,) = then["contracts"]
    owed = row["recovery"]
    change_everything(app)  # a collection: the recovery and the journal move on
    later = app.reconciliation()
    assert later["as_of_position"] > then["as_of_position"]
    assert later["contracts"][0]["recovery"]["collected_fen"] == owed["collected_fen"] + 4_000_000
    assert later["contracts"][0]["recovery"]["outstanding_fen"] == owed["outstanding_fen"] - 4_000_000
    assert later["reconciled"] and then["reconciled"]  # each agrees with the journal as it stood
    assert app.reconciliation(as_of_position=then["as_of_position"]) == then


def test_the_reconciliation_on_a_date_holds_what_was_recorded_by_its_end(app, feed, now):
    today = programme_today()
    change_everything(app)
    assert app.reconciliation(as_of=today) == app.reconciliation()
    yesterday = today - timedelta(days=1)
    before = app.reconciliation(as_of=yesterday)  # the contract was not known to finance then
    assert (before["as_of"], before["contracts"], before["breaks"], before["reconciled"]) == (yesterday, [], [], True)
    assert before["as_of_position"] < app.head_position()
