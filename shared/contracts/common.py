"""Public vocabulary shared by several contracts."""
from marshmallow import validate

# The eight service lines of the seed notice, 三.(四).1–8.
SERVICE_LINES = (
    "screening_and_files",      # 1 摸底走访建档
    "spiritual_literacy",       # 2 精神素养提升行动
    "life_care",                # 3 生活关爱服务
    "tiered_management",        # 4 困境儿童分级管理
    "director_supervision",     # 5 儿童主任督导
    "social_participation",     # 6 引导社会力量参与
    "safety_education",         # 7 安全教育引导
    "protection_publicity",     # 8 未成年人保护宣传
)
SERVICE_LINE = validate.OneOf(SERVICE_LINES)
CATEGORIES = ("left_behind", "distressed", "unattended")
RISK_LEVELS = (1, 2, 3)
NON_NEGATIVE = validate.Range(min=0)
