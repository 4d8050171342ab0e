"""Unified social credit codes (GB 32100-2015).

18 characters from 0-9 and A-Y without I, O, S, V and Z: registration
authority (1), organisation type (1), administrative division (6), the
organisation code of GB 11714 (9, with its own check character) and a check
character computed over the first 17 with weights 3^i mod 31.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Civil-affairs registrations (authority 5) by type character.
CIVIL_AFFAIRS_TYPES = {
    "1": "social_group",  # 社会团体
    "2": "private_non_enterprise",  # 民办非企业单位
    "3": "foundation",  # 基金会
    "9": "other_civil_affairs",
}


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=False))
    return CHARSET[(31 - total % 31) % 31]


def organization_check_character(first8: str) -> str:
    """GB 11714: digits and letters valued 0-35; 10 → X, 11 → 0."""
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=False))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def problems(code: str) -> list[str]:
    """Why `code` is not a valid unified social credit code (empty if it is)."""
    if len(code) != 18:
        return ["must be 18 characters"]
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return [f"contains characters outside 0-9A-HJ-NPQRTUWXY: {''.join(bad)}"]
    if not code[2:8].isdigit():
        return ["characters 3-8 must be an administrative division code (digits)"]
    if organization_check_character(code[8:16]) != code[16]:
        return ["organisation code (characters 9-17) fails its GB 11714 check"]
    if check_character(code[:17]) != code[17]:
        return ["check character does not match (GB 32100)"]
    return []


def registration_type(code: str) -> str:
    """The kind of registration the code's first two characters name."""
    if code[0] == "5":
        return CIVIL_AFFAIRS_TYPES.get(code[1], "other_civil_affairs")
    return "not_civil_affairs"
