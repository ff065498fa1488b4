"""A network report built by hand from structure.py, so rendering is tested apart from computing.

It holds every kind of cell: printed counts, a primary suppression ("<5", hidden value 3), a
secondary one ("×", hidden value 7), a median of a too-small group ("–"), percentages, totals, and a
bar chart and a funnel with a hidden stage. The hidden values are written down here only to check
that no output shows them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from reflection.report.structure import Cell, NetworkReport, Row, Section, Table

# The numbers that suppression hides in the sample; an output showing one of them leaks.
HIDDEN = {"3", "7"}


def count(n: int) -> Cell:
    return Cell(text=str(n), value=n)


def small(k: int = 5) -> Cell:
    return Cell(text=f"<{k}", value=None, suppressed="small")


def secondary() -> Cell:
    return Cell(text="×", value=None, suppressed="secondary")


def sample_report(language: str = "en", *, rows: int = 0) -> NetworkReport:
    """`rows` adds that many extra rows to one table (a table that must break across pages)."""
    reach = Table(
        key="reach_families",
        title="Families reached",
        row_header="Age band",
        columns=["New", "Continuing", "Total"],
        rows=[
            Row("0-5", "0 to 5 years", [count(12), count(40), count(52)]),
            Row("6-11", "6 to 11 years", [small(), secondary(), count(48)]),
            Row("12-17", "12 to 17 years", [count(25), count(31), count(56)]),
            *[
                Row(f"extra-{i}", f"Extra group {i}", [count(10 + i), count(20 + i), count(30 + 2 * i)])
                for i in range(rows)
            ],
            Row("total", "Total", [count(80), count(116), count(196)], is_total=True),
        ],
        note="A family counts once, in the age band of its youngest child.",
        chart="bar",
    )
    domains = Table(
        key="referrals_by_domain",
        title="Referrals by need domain",
        row_header="Need domain",
        columns=["Referrals", "Share"],
        rows=[
            Row("housing", "Housing", [count(64), Cell("41,0 %", 41.0, "percent")]),
            Row("money", "Money, administration and rights", [count(58), Cell("37,2 %", 37.2, "percent")]),
            Row("language", "Language", [small(), secondary()]),
            Row("leisure", "Leisure and participation", [count(0), Cell("0,0 %", 0.0, "percent")]),
        ],
        chart="bar",
    )
    funnel = Table(
        key="referral_funnel",
        title="From sending to closing",
        row_header="Stage",
        columns=["Referrals"],
        rows=[
            Row("sent", "Sent", [count(156)]),
            Row("accepted", "Accepted", [count(120)]),
            Row("contact_made", "Contact made", [small()]),
            Row("closed", "Closed", [count(61)]),
        ],
        chart="funnel",
    )
    medians = Table(
        key="referral_speed",
        title="Days to answer and to first contact",
        row_header="Receiving organisation kind",
        columns=["Referrals", "Median days to answer", "Median days to first contact"],
        rows=[
            Row("welfare", "Welfare", [count(40), Cell("3,5", 3.5, "median"), Cell("9", 9, "median")]),
            Row(
                "clb",
                "Pupil guidance centre",
                [
                    small(),
                    Cell("–", None, "median", "median_small_group"),
                    Cell("–", None, "median", "median_small_group"),
                ],
            ),
        ],
    )
    return NetworkReport(
        network="Zonnedorp",
        period_start=datetime.date(2025, 9, 1),
        period_end=datetime.date(2026, 8, 31),
        generated_at=timezone.now(),
        language=language,
        k=5,
        sections=[
            Section("reach", "Reach", [reach], intro="Who the bridge figures reached."),
            Section("referrals", "Referrals", [domains, funnel, medians]),
        ],
        definitions=[("Reached family", "A family with a contact moment in the period.")],
    )
