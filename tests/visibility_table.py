"""The §5 table as data: a row per role, a set of visible names per consent state."""

from __future__ import annotations

from tests.conftest import CONSENT_STATES

ROLES = [
    "bridge",
    "colleague",
    "other_bridge",
    "partner",
    "outsider",
    "school_coordinator",
    "other_school_coordinator",
    "network_coordinator",
    "administrator",
]


def row(default=(), **by_state) -> dict[str, set[str]]:
    """What one role sees in each consent state: `default`, unless the state is named."""
    assert set(by_state) <= set(CONSENT_STATES), by_state
    return {state: set(by_state.get(state, default)) for state in CONSENT_STATES}


def rows(**by_role) -> dict[str, dict[str, set[str]]]:
    """One column of the §5 table: a row per role; roles not named see nothing in any state."""
    assert set(by_role) <= set(ROLES), by_role
    return {role: by_role.get(role, row()) for role in ROLES}


def seen(queryset, things: dict) -> set[str]:
    """Names of the objects in `queryset`; an object the test did not name shows up as its pk."""
    names = {(type(obj), obj.pk): name for name, obj in things.items() if obj is not None}
    model = queryset.model
    return {
        names.get((model, pk), f"unnamed {model.__name__} #{pk}")
        for pk in queryset.values_list("pk", flat=True)
    }
