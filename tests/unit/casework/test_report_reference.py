"""A written quarterly report cites the generated report by position and hash
(卫沙民社函〔2025〕11号 §五.(三).4, issue 14 item 7): the hash is the report's
own, the same whenever it is regenerated at that position, and a citation whose
hash does not match the regenerated report is refused."""

from datetime import date

import pytest

from shared.errors import RuleViolation
from shared.report_reference import content_hash
from tests.support.casework import OTHER, C


def care(app, child_id):
    app.give_care_service(
        child_id=child_id,
        contract_id=C,
        kind="homework_help",
        given_on=date(2025, 9, 20),
        value_fen=None,
        resource=None,
        occasion=None,
        worker="w",
        notes="",
    )


def test_the_report_carries_the_hash_of_its_content_and_keeps_it_at_its_position(reported):
    report, children, app = reported
    assert report["content_hash"] == content_hash(report)
    care(app, children["b"])
    later = app.quarterly_report(C, 2025, 3)
    assert later["content_hash"] != report["content_hash"]
    again = app.quarterly_report(C, 2025, 3, as_of_position=report["as_of_position"])
    assert again["content_hash"] == report["content_hash"]


def test_a_citation_matching_the_regenerated_report_is_accepted_even_after_more_work(reported):
    report, children, app = reported
    care(app, children["b"])
    cited = {"as_of_position": report["as_of_position"], "content_hash": report["content_hash"]}
    assert app.check_report_reference(C, 2025, 3, **cited) == cited


@pytest.mark.parametrize(
    "change",
    [
        lambda r: {"content_hash": "0" * 64},  # made up
        lambda r: {"as_of_position": r["as_of_position"] - 1},  # another position
        lambda r: {"figures_edited": True},  # the hash of an edited copy of the report
    ],
)
def test_a_citation_that_does_not_match_the_regenerated_report_is_refused(reported, change):
    report, _children, app = reported
    changed = change(report)
    if "figures_edited" in changed:
        edited = {**report, "children": {**report["children"], "reached": report["children"]["reached"] + 10}}
        cited = {"as_of_position": report["as_of_position"], "content_hash": content_hash(edited)}
    else:
        cited = {"as_of_position": report["as_of_position"], "content_hash": report["content_hash"], **changed}
    with pytest.raises(RuleViolation) as error:
        app.check_report_reference(C, 2025, 3, **cited)
    assert set(error.value.fields) == {"generated_report"}


def test_a_citation_of_another_quarter_or_contract_or_beyond_the_log_is_refused(reported):
    report, _children, app = reported
    cited = {"as_of_position": report["as_of_position"], "content_hash": report["content_hash"]}
    for contract, year, quarter in ((C, 2025, 4), (OTHER, 2025, 3)):
        with pytest.raises(RuleViolation):
            app.check_report_reference(contract, year, quarter, **cited)
    with pytest.raises(RuleViolation) as error:
        app.check_report_reference(C, 2025, 3, **{**cited, "as_of_position": app.head_position() + 1})
    assert "beyond the end" in error.value.fields["generated_report"][0]
