"""The quarterly report as a readable Chinese HTML document, rendered by the
gateway (services/gateway/api/report_html.py) from casework's JSON report."""

from services.gateway.api.report_html import render
from tests.support.casework import OTHER, Grants, scenario


def test_html_document_in_chinese_with_three_charts(reported):
    report, _, _ = reported
    html = render(report)
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in html
    assert "2025年第3季度实施情况报告" in html
    assert html.count("<svg") == 3
    for text in (
        "服务儿童按乡镇分布",
        "服务儿童风险等级分布",
        "各服务内容记录数",
        "滨河镇",
        "防溺水",
        "100,000.00 元",
        "90,655.00 元",
        "摸底走访建档(本合同)",  # line 1: this contract's own figures
    ):
        assert text in html, text
    other = render({**report, "contract_id": "<script>", "gaps": [{"title": "生活关爱服务"}]})
    assert "<script>" not in other and "缺口" in other


def test_html_names_the_signed_contracts_scope(casework):
    grants = Grants(casework)
    scenario(casework)
    assert grants.contract_signed(OTHER, ["tiered_management", "life_care"]) == "applied"
    signed = casework.quarterly_report(OTHER, 2025, 3)
    assert "按签约合同的服务范围" in render(signed)
