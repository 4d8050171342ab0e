"""The quarterly report as a readable Chinese-language HTML document with
simple inline SVG bar charts, for GET .../reports/quarterly/{period} in HTML
(api/casework.py). Input is the report's JSON as casework answers it; output
is one page."""

from __future__ import annotations

from html import escape
from typing import Any

CATEGORY_ZH = {"left_behind": "留守儿童", "distressed": "困境儿童", "unattended": "事实无人抚养儿童"}
TIER_ZH = {"1": "一级(高)", "2": "二级", "3": "三级", "unassessed": "未评估"}
TOPIC_ZH = {
    "drowning": "防溺水",
    "bullying": "防欺凌",
    "sexual_abuse": "防性侵",
    "fire_and_electricity": "防火用电",
    "food_poisoning": "防食物中毒",
    "road_safety": "道路交通安全",
}
ACTIVITY_ZH = {
    "monthly_theme": "“塞上护童”月主题活动",
    "safety_education_children": "儿童安全教育",
    "safety_education_guardians": "监护人安全教育",
    "protection_publicity": "未成年人保护宣传",
    "protection_month": "未成年人保护月宣传",
    "social_organization_activity": "社区社会组织活动",
}
CARE_ZH = {
    "hardship_aid": "困难救助",
    "festival_visit": "节日慰问",
    "daily_care": "日常关爱",
    "homework_help": "课业辅导",
    "interpersonal_adjustment": "人际调适",
    "education_aid": "教育资助",
    "psychological_counselling": "心理健康辅导",
    "reading_guidance": "阅读指导",
    "sport_and_play": "运动游戏",
    "companionship": "精神陪伴",
}
SCOPE_ZH = {
    "contract": "按签约合同的服务范围",
    "request": "按本次请求指定的服务范围",
    "default": "未收到签约信息,按全部八项服务内容",
}
REASON_ZH = {
    "goals_met": "目标达成",
    "aged_out": "年满18周岁",
    "moved_away": "迁出",
    "transferred": "转介",
    "other": "其他",
}
STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;
color:#222;line-height:1.6}
h1{font-size:1.6em;border-bottom:2px solid #b22;padding-bottom:.3em}h2{font-size:1.2em;margin-top:1.6em;color:#b22}
table{border-collapse:collapse;margin:.6em 0;width:100%}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
th{background:#f4f0f0}td.n{text-align:right}.gap{color:#b22;font-weight:bold}.meta{color:#666;font-size:.9em}
"""


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d} 元"


def table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{v}</td>' if isinstance(v, int) else f"<td>{escape(str(v))}</td>" for v in row)
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bar_chart(title: str, items: list[tuple[str, int]], color: str = "#b22") -> str:
    """A horizontal bar chart as inline SVG; labels and values are printed."""
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


def render(report: dict[str, Any]) -> str:
    r = report
    lines, children, registry, funds = r["service_lines"], r["children"], r["registry"], r["funds"]
    supervision = r.get("project_supervision") or {
        "sessions": 0,
        "by_format": {"consultation": 0, "training": 0},
        "staff_attendances": 0,
        "minutes": 0,
    }
    period = f"{r['year']}年第{r['quarter']}季度"
    out = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>留守儿童和困境儿童关爱服务项目 {period} 实施情况报告</title><style>{STYLE}</style></head><body>",
        f"<h1>留守儿童和困境儿童关爱服务项目<br>{period}实施情况报告</h1>",
        f'<p class="meta">合同编号:{escape(r["contract_id"])}<br>报告期:{r["period"]["start"]} 至 '
        f"{r['period']['end']}<br>缺口判断:{SCOPE_ZH[r['contract']['expected_lines_from']]}<br>"
        f"数据截至日志位置:{r['as_of_position']}(以此位置重新生成,数字不变)"
        + (f"<br>内容校验码(书面报告引用):{escape(r['content_hash'])}" if r.get("content_hash") else "")
        + "</p>",
        "<h2>一、八项服务内容完成情况</h2>",
        table(
            ["服务内容", "记录数", "儿童人次", "服务儿童数", "状态"],
            [
                [
                    row["title"],
                    row["records"],
                    row["attendances"],
                    row["children_reached"],
                    "已开展" if row["delivered"] else ("未开展(缺口)" if row["expected"] else "不在合同范围"),
                ]
                for row in lines
            ],
        ),
        bar_chart("各服务内容记录数", [(row["title"], row["records"]) for row in lines]),
    ]
    if r["gaps"]:
        out.append(
            '<p class="gap">缺口:' + "、".join(escape(g["title"]) for g in r["gaps"]) + " 本季度无服务记录。</p>"
        )
    else:
        out.append("<p>合同范围内各项服务本季度均有记录。</p>")
    screening = r.get("screening_and_files")
    if screening is not None:
        # Line 1 under this contract only (卫沙民社函〔2025〕11号 §三.(四).1).
        out.append(
            table(
                ["摸底走访建档(本合同)", "覆盖儿童数", "走访户数", "走访次数", "新建档案"],
                [
                    [
                        "本季度",
                        screening["children_reached"],
                        screening["households_visited"],
                        screening["visits"],
                        screening["files_opened"],
                    ]
                ],
            )
        )
    cases = r["cases"]
    out += [
        "<h2>二、个案工作</h2>",
        table(
            ["新开个案", "结案", "个案服务次数", "服务时长(分钟)", "评估回顾", "季末在案"],
            [
                [
                    cases["opened"],
                    cases["closed"],
                    cases["sessions"],
                    cases["session_minutes"],
                    cases["reviews"],
                    cases["open_at_end"],
                ]
            ],
        ),
    ]
    if cases["closed_by_reason"]:
        out.append(
            table(["结案原因", "个案数"], [[REASON_ZH.get(k, k), v] for k, v in cases["closed_by_reason"].items()])
        )
    groups = r["groups"]
    out += [
        "<h2>三、小组工作</h2>",
        table(
            ["新建小组", "开展活动的小组", "小组活动次数", "出勤人次"],
            [[groups["formed"], groups["met"], groups["sessions"], groups["attendances"]]],
        ),
        "<h2>四、社区工作与主题活动</h2>",
        table(
            ["活动类型", "场次", "儿童人次", "监护人人次", "社区居民人次"],
            [
                [
                    ACTIVITY_ZH.get(k, k),
                    v.get("count", 0),
                    v.get("children", 0),
                    v.get("guardians", 0),
                    v.get("community", 0),
                ]
                for k, v in r["activities"]["by_kind"].items()
            ]
            or [["(无)", 0, 0, 0, 0]],
        ),
        "<p>“塞上护童”月主题:"
        + (
            "、".join(f"{escape(t['month'])} {escape(t['theme'])}" for t in r["activities"]["monthly_themes"])
            or "本季度无"
        )
        + "</p>",
        table(
            ["安全教育主题", "场次", "儿童人次", "监护人人次"],
            [
                [TOPIC_ZH.get(k, k), v["sessions"], v["children"], v["guardians"]]
                for k, v in r["activities"]["safety_education_by_topic"].items()
            ],
        ),
        "<h2>五、生活关爱与适龄服务</h2>",
        table(
            ["服务类型", "次数", "资助价值"],
            [
                [CARE_ZH.get(k, k), v.get("count", 0), yuan(v.get("value_fen", 0))]
                for k, v in r["care"]["by_kind"].items()
            ]
            or [["(无)", 0, yuan(0)]],
        ),
        f"<p>物资及资金价值合计:{yuan(r['care']['value_fen'])}</p>",
        "<h2>六、儿童主任督导与社会力量参与</h2>",
        table(
            ["督导次数", "交叉学习次数", "儿童主任参与人次", "参与儿童主任数", "登记儿童主任总数"],
            [
                [
                    r["directors"]["supervisions"],
                    r["directors"]["cross_learning"],
                    r["directors"]["attendances"],
                    r["directors"]["directors_reached"],
                    r["directors"]["directors_known"],
                ]
            ],
        ),
        table(
            ["本季度培育社区社会组织", "累计培育", "社会组织开展活动"],
            [
                [
                    r["community_organizations"]["nurtured_this_quarter"],
                    r["community_organizations"]["nurtured_to_date"],
                    r["community_organizations"]["activities"],
                ]
            ],
        ),
        table(
            ["项目督导团队(五.(三).3)", "咨询", "培训", "工作人员参与人次", "时长(分钟)"],
            [
                [
                    supervision["sessions"],
                    supervision["by_format"]["consultation"],
                    supervision["by_format"]["training"],
                    supervision["staff_attendances"],
                    supervision["minutes"],
                ]
            ],
        ),
        "<h2>七、服务儿童情况</h2>",
        f"<p>本季度服务儿童 {children['reached']} 人。</p>",
        table(
            ["儿童类别", "人数"],
            [[CATEGORY_ZH.get(k, k), v] for k, v in children["by_category"].items()] or [["(无)", 0]],
        ),
        bar_chart("服务儿童按乡镇分布", list(children["by_town"].items()), "#2a6fb2"),
        bar_chart("服务儿童风险等级分布", [(TIER_ZH[k], v) for k, v in children["by_tier"].items()], "#c77b14"),
        "<h2>八、摸底走访与分级管理(来自儿童档案)</h2>",
        table(
            ["在册儿童", "本季度走访次数", "走访儿童数", "季末逾期未联系"],
            [
                [
                    registry["children_in_programme"],
                    registry["visits"],
                    registry["children_visited"],
                    registry["overdue_contacts_at_end"],
                ]
            ],
        ),
        table(
            ["风险等级", "季末在册人数", "逾期未联系"],
            [[TIER_ZH[k], v, registry["overdue_by_tier"].get(k, 0)] for k, v in registry["tiers_at_end"].items()],
        ),
        "<h2>九、资金到位与使用</h2>",
        table(
            ["项目", "财政资金", "定向捐助", "合计"],
            [
                [
                    "本季度到位",
                    yuan(funds["received_fen"]["fiscal"]),
                    yuan(funds["received_fen"]["donation"]),
                    yuan(funds["received_fen"]["total"]),
                ],
                [
                    "本季度支出",
                    yuan(funds["spent_fen"]["fiscal"]),
                    yuan(funds["spent_fen"]["donation"]),
                    yuan(funds["spent_fen"]["total"]),
                ],
                [
                    "累计到位",
                    yuan(funds["received_to_date_fen"]["fiscal"]),
                    yuan(funds["received_to_date_fen"]["donation"]),
                    yuan(funds["received_to_date_fen"]["total"]),
                ],
                [
                    "累计支出",
                    yuan(funds["spent_to_date_fen"]["fiscal"]),
                    yuan(funds["spent_to_date_fen"]["donation"]),
                    yuan(funds["spent_to_date_fen"]["total"]),
                ],
            ],
        ),
        f"<p>累计结余:{yuan(funds['balance_fen'])}</p>",
    ]
    if funds["spent_by_budget_line_fen"]:
        out.append(
            table(["预算科目", "本季度支出"], [[k, yuan(v)] for k, v in funds["spent_by_budget_line_fen"].items()])
        )
    out.append("</body></html>")
    return "".join(out)
