"""What the network report (DESIGN.md §8) shows of the reflection: plain data, aggregates only, no
persons. The report decides who may read it; nothing here is personal or about a family."""

from __future__ import annotations

from collections import Counter

from .models import Framework, Response, Round, Signal
from .spread import spreads


def latest_rounds_summary() -> list[dict]:
    """Per framework, its latest closed round: per item the count per level, the middle answer, the
    previous round's middle answer and the disagreement (in steps)."""
    result = []
    for framework in Framework.objects.all():
        round_ = Round.objects.closed().filter(framework=framework).order_by("-opened_at", "-pk").first()
        if round_ is None:
            continue
        previous = round_.previous()
        result.append(
            {
                "framework": framework.code,
                "framework_label": framework.label,
                "source": framework.source,
                "round": round_.title,
                "opened_at": round_.opened_at,
                "closed_at": round_.closed_at,
                "previous_round": previous.title if previous else None,
                "participants": round_.responses.values("participant").distinct().count(),
                "items": [
                    {
                        "code": spread.item.code,
                        "label": spread.item.label,
                        "counts": {str(level.level): level.count for level in spread.levels},
                        "dont_know": spread.dont_know,
                        "middle": spread.middle,
                        "previous_middle": spread.previous_middle,
                        "change": spread.change,
                        "disagreement": spread.disagreement,
                    }
                    for spread in spreads(round_, Response.objects.all())
                ],
                "action_points": dict(Counter(round_.action_points.values_list("status", flat=True))),
            }
        )
    return result


def signals_summary() -> dict:
    """Structural signals by barrier type and status, and each signal's what, where, kind, status and
    the organisation that took it up (organisations, never persons)."""
    signals = Signal.objects.select_related("taken_up_by").order_by("logged_at", "pk")
    return {
        "total": signals.count(),
        "by_barrier_type": dict(Counter(signals.values_list("barrier_type", flat=True))),
        "by_status": dict(Counter(signals.values_list("status", flat=True))),
        "signals": [
            {
                "what": signal.what,
                "where": signal.where,
                "barrier_type": signal.barrier_type,
                "barrier_type_label": signal.get_barrier_type_display(),
                "status": signal.status,
                "status_label": signal.get_status_display(),
                "taken_up_by": signal.taken_up_by.name if signal.taken_up_by else None,
                "logged_on": signal.logged_at.date(),
                "follow_up": signal.follow_up,
            }
            for signal in signals
        ],
    }
