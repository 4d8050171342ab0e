"""Public vocabulary shared by several contracts (the words themselves are in
shared.vocabulary, which domain code may import)."""

from marshmallow import validate

from shared.vocabulary import CATEGORIES, GATES, RISK_LEVELS, SERVICE_LINES

SERVICE_LINE = validate.OneOf(SERVICE_LINES)
NON_NEGATIVE = validate.Range(min=0)

__all__ = ["CATEGORIES", "GATES", "NON_NEGATIVE", "RISK_LEVELS", "SERVICE_LINE", "SERVICE_LINES"]
