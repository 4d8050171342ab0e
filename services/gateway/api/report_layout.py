"""The quarterly report's content as a list of blocks (headings, paragraphs,
tables, bar charts), read from the report's JSON as casework answers it. The
HTML (report_html.py) and PDF (report_pdf.py) renderings both draw these
blocks, so the two documents say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
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
TITLE = "留守儿童和困境儿童关爱服务项目"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    alarm: bool = False  # a gap: shown in red


@dataclass(frozen=True)
class Meta:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # an int is a count (right-aligned), anything else text


@dataclass(frozen=True)
class Chart:
    title: str
    items: tuple[tuple[str, int], ...]
    color: str = "#b22"


Block = Heading | Para | Meta | Table | Chart


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d} 元"


def period_zh(report: dict[str, Any]) -> str:
    return f"{report['year']}年第{report['quarter']}季度"


def table(headers: list[str], rows: list[list[Any]]) -> Table:
    return Table(tuple(headers), tuple(tuple(row) for row in rows))


def chart(title: str, items: list[tuple[str, int]], color: str = "#b22") -> Chart:
    return Chart(title, tuple(items), color)


def meta_lines(r: dict[str, Any]) -> tuple[str, ...]:
    lines = [
        f"合同编号:{r['contract_id']}",
        f"报告期:{r['period']['start']} 至 {r['period']['end']}",
        f"缺口判断:{SCOPE_ZH[r['contract']['expected_lines_from']]}",
        f"数据截至日志位置:{r['as_of_position']}(以此位置重新生成,数字不变)",
    ]
    if r.get("content_hash"):
        lines.append(f"内容校验码(书面报告引用):{r['content_hash']}")
    return tuple(lines)


def blocks(report: dict[str, Any]) -> list[Block]:
    r = report
    lines, children, registry, funds = r["service_lines"], r["children"], r["registry"], r["funds"]
    supervision = r.get("project_supervision") or {
        "sessions": 0,
        "by_format": {"consultation": 0, "training": 0},
        "staff_attendances": 0,
        "minutes": 0,
    }
    out: list[Block] = [
        Heading("一、八项服务内容完成情况"),
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
        chart("各服务内容记录数", [(row["title"], row["records"]) for row in lines]),
    ]
    if r["gaps"]:
        out.append(Para("缺口:" + "、".join(g["title"] for g in r["gaps"]) + " 本季度无服务记录。", alarm=True))
    else:
        out.append(Para("合同范围内各项服务本季度均有记录。"))
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
        Heading("二、个案工作"),
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
        Heading("三、小组工作"),
        table(
            ["新建小组", "开展活动的小组", "小组活动次数", "出勤人次"],
            [[groups["formed"], groups["met"], groups["sessions"], groups["attendances"]]],
        ),
        Heading("四、社区工作与主题活动"),
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
        Para(
            "“塞上护童”月主题:"
            + ("、".join(f"{t['month']} {t['theme']}" for t in r["activities"]["monthly_themes"]) or "本季度无")
        ),
        table(
            ["安全教育主题", "场次", "儿童人次", "监护人人次"],
            [
                [TOPIC_ZH.get(k, k), v["sessions"], v["children"], v["guardians"]]
                for k, v in r["activities"]["safety_education_by_topic"].items()
            ],
        ),
        Heading("五、生活关爱与适龄服务"),
        table(
            ["服务类型", "次数", "资助价值"],
            [
                [CARE_ZH.get(k, k), v.get("count", 0), yuan(v.get("value_fen", 0))]
                for k, v in r["care"]["by_kind"].items()
            ]
            or [["(无)", 0, yuan(0)]],
        ),
        Para(f"物资及资金价值合计:{yuan(r['care']['value_fen'])}"),
        Heading("六、儿童主任督导与社会力量参与"),
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
        Heading("七、服务儿童情况"),
        Para(f"本季度服务儿童 {children['reached']} 人。"),
        table(
            ["儿童类别", "人数"],
            [[CATEGORY_ZH.get(k, k), v] for k, v in children["by_category"].items()] or [["(无)", 0]],
        ),
        chart("服务儿童按乡镇分布", list(children["by_town"].items()), "#2a6fb2"),
        chart("服务儿童风险等级分布", [(TIER_ZH[k], v) for k, v in children["by_tier"].items()], "#c77b14"),
        Heading("八、摸底走访与分级管理(来自儿童档案)"),
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
        Heading("九、资金到位与使用"),
        table(
            ["项目", "财政资金", "定向捐助", "合计"],
            [
                [label, yuan(funds[key]["fiscal"]), yuan(funds[key]["donation"]), yuan(funds[key]["total"])]
                for label, key in (
                    ("本季度到位", "received_fen"),
                    ("本季度支出", "spent_fen"),
                    ("累计到位", "received_to_date_fen"),
                    ("累计支出", "spent_to_date_fen"),
                )
            ],
        ),
        Para(f"累计结余:{yuan(funds['balance_fen'])}"),
    ]
    if funds["spent_by_budget_line_fen"]:
        out.append(
            table(["预算科目", "本季度支出"], [[k, yuan(v)] for k, v in funds["spent_by_budget_line_fen"].items()])
        )
    return out
