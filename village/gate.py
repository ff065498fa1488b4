"""The one door to sensitive data (DESIGN.md §5).

Each app registers, per data category, the queryset method that scopes it to a user. Views,
filters, exports, reports and tasks ask here (or call the same method directly); `may_see` is the
one predicate for "may this user see category X of this object now". Categories not registered
fail closed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

_scopes: dict[str, Callable[[object], QuerySet]] = {}


def register(category: str, scope: Callable[[object], QuerySet]) -> None:
    if category in _scopes:
        raise RuntimeError(f"Data category {category!r} is registered twice.")
    _scopes[category] = scope


def categories() -> list[str]:
    return sorted(_scopes)


def scoped(user, category: str) -> QuerySet:
    """The queryset of objects of `category` this user may see now."""
    try:
        scope = _scopes[category]
    except KeyError:
        raise LookupError(f"Unknown data category {category!r}") from None
    return scope(user)


def may_see(user, category: str, obj: Model | None) -> bool:
    """May `user` see `category` of `obj` at this moment? Read-time, fail-closed."""
    if obj is None or obj.pk is None or not getattr(user, "is_authenticated", False):
        return False
    return scoped(user, category).filter(pk=obj.pk).exists()
