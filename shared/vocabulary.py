"""The programme's words, said once: the eight service lines of the notice
(卫沙民社函〔2025〕11号 §三.(四).1–8) with their Chinese titles, the children's
categories, risk tiers and the payment gates of §六.(三). Standard library
only, so domain code may import it."""

SERVICE_LINES = (
    "screening_and_files",  # 1 摸底走访建档
    "spiritual_literacy",  # 2 精神素养提升行动
    "life_care",  # 3 生活关爱服务
    "tiered_management",  # 4 困境儿童分级管理
    "director_supervision",  # 5 儿童主任督导
    "social_participation",  # 6 引导社会力量参与
    "safety_education",  # 7 安全教育引导
    "protection_publicity",  # 8 未成年人保护宣传
)
LINE_TITLES = {
    "screening_and_files": "摸底走访建档",
    "spiritual_literacy": "精神素养提升行动",
    "life_care": "生活关爱服务",
    "tiered_management": "困境儿童分级管理",
    "director_supervision": "儿童主任督导",
    "social_participation": "引导社会力量参与",
    "safety_education": "安全教育引导",
    "protection_publicity": "未成年人保护宣传",
}

# 留守儿童, 困境儿童, 事实无人抚养儿童
CATEGORIES = ("left_behind", "distressed", "unattended")

# 分级管理: 1 is the highest risk.
RISK_LEVELS = (1, 2, 3)

# How often a child is contacted by tier (days): by default every 7 days at
# tier 1, 30 at tier 2 and 90 at tier 3. The one setting, CONTACT_CADENCE_DAYS
# (shared/config.py), serves the registry's due dates and casework's report alike.
DEFAULT_CONTACT_CADENCE = "7,30,90"


def parse_cadence(text: str) -> dict[int, int]:
    """ "7,30,90" → contact every 7 days at tier 1, 30 at tier 2, 90 at tier 3."""
    try:
        days = [int(part) for part in text.split(",")]
    except ValueError:
        days = []
    if len(days) != len(RISK_LEVELS) or min(days) < 1:
        raise ValueError(f"contact cadence must be three positive day counts, not {text!r}")
    return dict(zip(RISK_LEVELS, days, strict=True))


# What each tranche waits for (§六.(三)): signing 40%, mid-term evaluation
# passed 30%, completion and effectiveness evaluation passed 30%.
GATES = ("signing", "mid_term_passed", "final_passed")
