"""The spread of a round's answers per item: counts per level, which kinds of organisation gave them
(never who), the middle of the answers, the change since the previous round, and how much the
answers disagree. Disagreement is the start of the conversation, not a problem to hide."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from partners.models import Organisation

from .models import LEVEL_RANK, SCALE, Item, Level, Response, Round


@dataclass
class LevelCount:
    level: str
    label: str
    count: int
    kinds: list[tuple[str, int]]  # (organisation kind label, count)
    x: float = 0.0  # where its bar starts in the 0-100 chart
    width: float = 0.0


@dataclass
class ItemSpread:
    item: Item
    levels: list[LevelCount]
    dont_know: int
    middle: str | None  # a Level value, or None without answers on the scale
    previous_middle: str | None = None
    disagreement: int = 0  # distance in steps between the lowest and highest answer
    variance: float = 0.0
    answered: int = 0
    previous_exists: bool = False
    change: int | None = None  # steps the middle moved since the previous round
    kinds_dont_know: list[tuple[str, int]] = field(default_factory=list)

    @property
    def middle_label(self) -> str:
        return Level(self.middle).label if self.middle else ""

    @property
    def previous_middle_label(self) -> str:
        return Level(self.previous_middle).label if self.previous_middle else ""


def _middle(ranks: list[int]) -> str | None:
    if not ranks:
        return None
    return SCALE[int(statistics.median_low(sorted(ranks)))]


def _kinds(responses: list[Response]) -> list[tuple[str, int]]:
    labels = dict(Organisation.Kind.choices)
    counts = Counter(str(labels.get(r.participant.organisation.kind, "")) for r in responses)
    return sorted(counts.items())


def spreads(round_: Round, responses) -> list[ItemSpread]:
    """One ItemSpread per item of the round's framework, in framework order. `responses` is the
    queryset the caller may see (for a page: `Response.objects.visible_to(user)`)."""
    items = list(Item.objects.filter(framework_id=round_.framework_id).order_by("order", "code"))
    current = list(responses.filter(round=round_).select_related("participant__organisation").order_by("pk"))
    previous_round = round_.previous()
    previous_ranks: dict[int, list[int]] = {}
    if previous_round is not None:
        for item_id, level in responses.filter(round=previous_round).values_list("item_id", "level"):
            if level in LEVEL_RANK:
                previous_ranks.setdefault(item_id, []).append(LEVEL_RANK[level])
    by_item: dict[int, list[Response]] = {}
    for response in current:
        by_item.setdefault(response.item_id, []).append(response)

    result = []
    for item in items:
        answers = by_item.get(item.pk, [])
        ranks = [LEVEL_RANK[r.level] for r in answers if r.level in LEVEL_RANK]
        on_scale = len(ranks)
        levels = []
        x = 0.0
        for level in SCALE:
            of_level = [r for r in answers if r.level == level]
            width = 100.0 * len(of_level) / on_scale if on_scale else 0.0
            levels.append(LevelCount(level, str(level.label), len(of_level), _kinds(of_level), x, width))
            x += width
        dont_know = [r for r in answers if r.level == Level.DONT_KNOW]
        spread = ItemSpread(
            item=item,
            levels=levels,
            dont_know=len(dont_know),
            kinds_dont_know=_kinds(dont_know),
            middle=_middle(ranks),
            answered=len(answers),
            disagreement=(max(ranks) - min(ranks)) if ranks else 0,
            variance=statistics.pvariance(ranks) if len(ranks) > 1 else 0.0,
        )
        if previous_round is not None:
            spread.previous_exists = True
            spread.previous_middle = _middle(previous_ranks.get(item.pk, []))
            if spread.middle and spread.previous_middle:
                spread.change = LEVEL_RANK[spread.middle] - LEVEL_RANK[spread.previous_middle]
        result.append(spread)
    return result


def agenda(item_spreads: list[ItemSpread], size: int = 3) -> list[ItemSpread]:
    """The items where answers disagree most: the agenda for the conversation."""
    disagreeing = [s for s in item_spreads if s.disagreement > 0]
    disagreeing.sort(key=lambda s: (-s.disagreement, -s.variance, s.item.order))
    return disagreeing[:size]
