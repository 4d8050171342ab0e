"""Exact money: integer fen, never floats. Standard library only."""

from __future__ import annotations

FEN_PER_YUAN = 100
# Fiscal money and designated donations (定向捐助) are kept apart in every figure.
FUNDS = ("fiscal", "donation")


class PlanProblem(ValueError):
    """A tranche plan that cannot be split exactly."""


def yuan(amount: int) -> int:
    """Whole yuan to fen."""
    return amount * FEN_PER_YUAN


def split(total_fen: int, percents: list[int]) -> list[int]:
    """Tranche amounts for a plan: each tranche gets floor(total × percent / 100);
    whatever rounding leaves over goes to the last tranche, so the parts always
    add up to the total exactly."""
    problems = plan_problems(total_fen, percents)
    if problems:
        raise PlanProblem("; ".join(problems))
    parts = [total_fen * percent // 100 for percent in percents[:-1]]
    return parts + [total_fen - sum(parts)]


def plan_problems(total_fen: int, percents: list[int]) -> list[str]:
    problems = []
    if not isinstance(total_fen, int) or isinstance(total_fen, bool) or total_fen < 0:
        problems.append("total must be a non-negative whole number of fen")
    if not percents:
        problems.append("a plan needs at least one tranche")
    elif any(not isinstance(p, int) or isinstance(p, bool) or not 1 <= p <= 100 for p in percents):
        problems.append("each tranche percent must be a whole number from 1 to 100")
    elif sum(percents) != 100:
        problems.append(f"tranche percents add up to {sum(percents)}%, not 100%")
    return problems


def is_positive_fen(amount: object) -> bool:
    return isinstance(amount, int) and not isinstance(amount, bool) and amount > 0
