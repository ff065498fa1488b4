"""Helpers to build reflection data in tests (factories, no fixture files)."""

from __future__ import annotations

import datetime
import importlib

from django.utils import timezone

from reflection import actions
from reflection.models import Framework, Item, Round


def ensure_frameworks() -> None:
    """The frameworks come from a data migration; a transactional test flushes them, so put them
    back with the function the migration runs."""
    from django.apps import apps

    if not Framework.objects.exists():
        migration = importlib.import_module("reflection.migrations.0002_framework_content")
        migration.add_frameworks(apps, None)


def membership(user):
    return user.memberships.get()


def a_round(
    world, *, framework: str = "vrac", title: str = "Round", participants=(), opened_at=None
) -> Round:
    ensure_frameworks()
    round_ = actions.open_round(
        framework=Framework.objects.get(code=framework),
        title=title,
        participants=[membership(user) for user in participants],
        by=world.network_coordinator,
    )
    if opened_at is not None:
        Round.objects.filter(pk=round_.pk).update(opened_at=opened_at)
        round_.refresh_from_db()
    return round_


def answer(round_, user, levels: dict[str, str], evidence: str = "", next_step: str = "") -> None:
    """Answer items by code: {"a1": "growing", ...}."""
    items = {item.code: item.pk for item in Item.objects.filter(framework_id=round_.framework_id)}
    actions.save_answers(
        round_=round_,
        by=user,
        answers={
            items[code]: {"level": level, "evidence": evidence, "next_step": next_step}
            for code, level in levels.items()
        },
    )


def close(world, round_) -> Round:
    return actions.close_round(round_=round_, by=world.network_coordinator)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
