"""Content stored as data in the three languages (need domains, reflection frameworks)."""

from django.utils.translation import get_language


def in_language(obj, field: str) -> str:
    """`obj.<field>_<current language>`, falling back to Dutch, the network's first language."""
    language = (get_language() or "nl")[:2]
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_nl")
