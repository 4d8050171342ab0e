"""The towns and villages of Shapotou District: shared data (`shared/places.py`,
`shared/places.json`), since grants names a contract's service area in the same
words the registry uses for a child's address."""

from shared.places import PLACES_FILE, load, problems

__all__ = ["PLACES_FILE", "load", "problems"]
