"""The quarterly report as a readable Chinese-language HTML document with
simple inline SVG bar charts, for GET .../reports/quarterly/{period} in HTML
(api/casework.py). Input is the report's JSON as casework answers it; output
is one page. The content is report_layout.py's, shared with the PDF."""

from __future__ import annotations

from html import escape
from typing import Any

from services.gateway.api.report_layout import (
    TITLE,
    Block,
    Chart,
    Heading,
    Meta,
    Para,
    Table,
    blocks,
    meta_lines,
    period_zh,
)

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;
color:#222;line-height:1.6}
h1{font-size:1.6em;border-bottom:2px solid #b22;padding-bottom:.3em}h2{font-size:1.2em;margin-top:1.6em;color:#b22}
table{border-collapse:collapse;margin:.6em 0;width:100%}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
th{background:#f4f0f0}td.n{text-align:right}.gap{color:#b22;font-weight:bold}.meta{color:#666;font-size:.9em}
"""


def table(block: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{v}</td>' if isinstance(v, int) else f"<td>{escape(str(v))}</td>" for v in row)
        + "</tr>"
        for row in block.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bar_chart(block: Chart) -> str:
    """A horizontal bar chart as inline SVG; labels and values are printed."""
    title, items, color = block.title, block.items, block.color
    label_w, bar_w, row_h = 190, 560, 24
    height = row_h * max(len(items), 1) + 34
    top = max([v for _, v in items] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 70}" '
        f'height="{height}" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    if not items:
        parts.append('<text x="0" y="44" font-size="12" fill="#666">(无数据)</text>')
    for i, (label, value) in enumerate(items):
        y = 28 + i * row_h
        width = round(bar_w * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row_h - 8}" fill="{color}"/>')
        parts.append(f'<text x="{label_w + width + 4}" y="{y + 15}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_of(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h2>{escape(block.text)}</h2>"
    if isinstance(block, Para):
        return f'<p class="gap">{escape(block.text)}</p>' if block.alarm else f"<p>{escape(block.text)}</p>"
    if isinstance(block, Meta):
        return '<p class="meta">' + "<br>".join(escape(line) for line in block.lines) + "</p>"
    if isinstance(block, Table):
        return table(block)
    return bar_chart(block)


def render(report: dict[str, Any]) -> str:
    period = period_zh(report)
    return "".join(
        [
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{TITLE} {period} 实施情况报告</title><style>{STYLE}</style></head><body>",
            f"<h1>{TITLE}<br>{period}实施情况报告</h1>",
            html_of(Meta(meta_lines(report))),
            *(html_of(block) for block in blocks(report)),
            "</body></html>",
        ]
    )
