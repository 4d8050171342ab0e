"""The eight service lines of the notice (三.(四).1–8), as in
shared.contracts.common, with their Chinese titles. Standard library only."""

SERVICE_LINES = (
    "screening_and_files", "spiritual_literacy", "life_care", "tiered_management",
    "director_supervision", "social_participation", "safety_education", "protection_publicity",
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
