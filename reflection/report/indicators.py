"""`build_report()`: every indicator of the network report (DESIGN.md §8) for a period, computed in
the database with a constant number of queries (conditional aggregates and GROUP BY, never a Python
loop over families or referrals), small numbers suppressed by suppression.py.

Medians use PostgreSQL's `percentile_cont(0.5) WITHIN GROUP (ORDER BY …)`. SQLite (only used by
`make run`) has no such aggregate: there one query fetches the column of durations and Python takes
the median.

No person's name is ever read here: only counts, durations, and names of organisations.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from families.models import Child, ContactMoment, Family
from partners.models import Coverage, NeedDomain, Offer, Organisation
from referrals.lifecycle import add_working_days
from referrals.models import Referral, ReferralEvent, SchoolRequest
from reflection.models import LEVEL_RANK, SCALE, Framework, Item, Level, Response, Round, Signal

from . import suppression as sup
from .structure import Cell, NetworkReport, Row, Section, Table

AGE_BANDS: list[tuple[str, int]] = [("0-5", 0), ("6-11", 6), ("12-15", 12), ("16+", 16)]
NO_SCHOOL = "none"
ChartKind = Literal["", "bar", "funnel"]


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The school year containing `today`: 1 September to 31 August (inclusive)."""
    first_year = today.year if today.month >= 9 else today.year - 1
    return datetime.date(first_year, 9, 1), datetime.date(first_year + 1, 8, 31)


# --------------------------------------------------------------------------- medians


class Median(Aggregate):
    """PostgreSQL's continuous median of an interval (or number)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value)


def _grouped_medians(queryset: QuerySet, group: str | None, duration) -> dict:
    """{group value: (group size, median in days)} of `duration` over `queryset`, in one query.
    Rows where the duration is NULL are left out of both."""
    queryset = queryset.annotate(_duration=duration).filter(_duration__isnull=False)
    if _is_postgresql():
        if group is None:
            row = queryset.aggregate(n=Count("pk"), median=Median("_duration", output_field=DurationField()))
            return {None: (row["n"], _days(row["median"]))}
        rows = (
            queryset.order_by()
            .values(group)
            .annotate(n=Count("pk"), median=Median("_duration", output_field=DurationField()))
        )
        return {row[group]: (row["n"], _days(row["median"])) for row in rows}
    columns: dict = defaultdict(list)
    fields = ("_duration",) if group is None else (group, "_duration")
    for values in queryset.order_by().values_list(*fields):
        columns[None if group is None else values[0]].append(_days(values[-1]))
    result = {key: (len(days), statistics.median(days)) for key, days in columns.items()}
    return result or ({None: (0, None)} if group is None else {})


def _between(start, end):
    """Duration end − start (two datetimes), as an interval."""
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


# --------------------------------------------------------------------------- table builders


def _total_label() -> str:
    return _("Total")


def column_table(
    key: str,
    title: str,
    *,
    row_header: str,
    column: str,
    rows: Sequence[tuple[str, str, int]],
    k: int,
    total: bool = True,
    note: str = "",
    chart: ChartKind = "bar",
) -> Table:
    """A 1-D table of counts, with a total row unless `total` is False."""
    cells, total_cell = sup.suppress_column([count for _key, _label, count in rows], k, total=total)
    table_rows = [Row(key_, label, [cell]) for (key_, label, _count), cell in zip(rows, cells, strict=True)]
    if total_cell is not None:
        table_rows.append(Row("total", _total_label(), [total_cell], is_total=True))
    return Table(key, title, [column], table_rows, row_header=row_header, note=note, chart=chart)


def matrix_table(
    key: str,
    title: str,
    *,
    row_header: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, str, Sequence[int]]],
    k: int,
    note: str = "",
    chart: ChartKind = "",
) -> Table:
    """A 2-D table of counts with a total column, a total row and the grand total."""
    grid = sup.suppress_matrix([list(counts) for _key, _label, counts in rows], k)
    table_rows = [Row(key_, label, grid[i]) for i, (key_, label, _counts) in enumerate(rows)]
    table_rows.append(Row("total", _total_label(), grid[len(rows)], is_total=True))
    return Table(
        key,
        title,
        [*columns, _total_label()],
        table_rows,
        row_header=row_header,
        note=note,
        chart=chart,
    )


# --------------------------------------------------------------------------- the period


class Period:
    """The report's period as dates (inclusive) and as the datetimes [since, until)."""

    def __init__(self, start: datetime.date, end: datetime.date, today: datetime.date) -> None:
        self.start, self.end, self.today = start, end, today
        zone = timezone.get_current_timezone()
        self.since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
        self.until = datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        # The day of a snapshot ("on the waiting list"): the period's last day, or today if sooner.
        self.reference_day = min(end, today)
        self.reference = min(self.until, timezone.now()) if end >= today else self.until

    def in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})

    def dates_in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


def _active_families(period: Period) -> QuerySet:
    """Families with a contact moment or a referral event in the period (anonymised ones too)."""
    moments = ContactMoment.objects.filter(period.dates_in_period("happened_on"), family=OuterRef("pk"))
    events = ReferralEvent.objects.filter(period.in_period("at"), referral__family=OuterRef("pk"))
    return Family.objects.filter(Q(Exists(moments)) | Q(Exists(events)))


def _age_band(end: datetime.date):
    """The age band of a child on the period's last day, from the date of birth or else the year."""

    def born_after(years: int) -> Q:
        try:
            cut = end.replace(year=end.year - years)
        except ValueError:  # 29 February
            cut = datetime.date(end.year - years, 2, 28)
        # Age >= years on `end` iff born on or before `cut`.
        return Q(birth_date__isnull=False, birth_date__gt=cut) | Q(
            birth_date__isnull=True, birth_year__gt=end.year - years
        )

    whens = [
        When(born_after(AGE_BANDS[i + 1][1]), then=Value(band))
        for i, (band, _age) in enumerate(AGE_BANDS[:-1])
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def _age_band_labels() -> dict[str, str]:
    return {
        "0-5": _("0 to 5 years"),
        "6-11": _("6 to 11 years"),
        "12-15": _("12 to 15 years"),
        "16+": _("16 years and older"),
    }


def _school_levels() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Organisation.SchoolLevel.choices] + [
        (NO_SCHOOL, _("no school known"))
    ]


# --------------------------------------------------------------------------- sections


def reach_section(period: Period, k: int) -> Section:
    active = _active_families(period)
    families = active.aggregate(
        new=Count("pk", filter=Q(created_at__gte=period.since)),
        continuing=Count("pk", filter=Q(created_at__lt=period.since)),
    )
    children = (
        Child.objects.filter(family__in=active.values("pk"))
        .annotate(band=_age_band(period.end), new=Q(family__created_at__gte=period.since))
        .order_by()
        .values("band", "school__school_level", "new")
        .annotate(n=Count("pk"))
    )
    by_band: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_level: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in children:
        column = 0 if row["new"] else 1
        by_band[row["band"]][column] += row["n"]
        by_level[row["school__school_level"] or NO_SCHOOL][column] += row["n"]
    anonymous = ContactMoment.objects.filter(
        period.dates_in_period("happened_on"), family__isnull=True
    ).count()

    active_note = _(
        "A family is reached (active) when it had at least one contact moment or one change in a "
        "referral in the period. New: its file was opened in the period; continuing: opened before."
    )
    columns = [_("New families"), _("Continuing families")]
    bands = _age_band_labels()
    return Section(
        "reach",
        _("Reach"),
        [
            column_table(
                "reach-families",
                _("Families reached"),
                row_header=_("Status"),
                column=_("Families"),
                rows=[
                    ("new", _("New"), families["new"]),
                    ("continuing", _("Continuing"), families["continuing"]),
                ],
                k=k,
                note=active_note,
            ),
            matrix_table(
                "reach-children-age",
                _("Children reached, by age"),
                row_header=_("Age on the last day of the period"),
                columns=columns,
                rows=[(band, bands[band], by_band[band]) for band, _age in AGE_BANDS],
                k=k,
                note=_("The children of the families reached; age from the date of birth, or else the year."),
            ),
            matrix_table(
                "reach-children-school-level",
                _("Children reached, by school level"),
                row_header=_("Level of the child's school"),
                columns=columns,
                rows=[(level, label, by_level[level]) for level, label in _school_levels()],
                k=k,
            ),
            column_table(
                "reach-anonymous",
                _("Anonymous contact moments"),
                row_header=_("Kind"),
                column=_("Contact moments"),
                rows=[("anonymous", _("Without a family file"), anonymous)],
                k=k,
                total=False,
                chart="",
                note=_("Conversations logged without linking a family: they count, but nobody is named."),
            ),
        ],
    )


def bridge_work_section(period: Period, k: int) -> Section:
    moments = (
        ContactMoment.objects.filter(period.dates_in_period("happened_on"))
        .annotate(anonymous=Q(family__isnull=True))
        .order_by()
        .values("kind", "school__name", "anonymous")
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_school: dict[str, int] = defaultdict(int)
    for row in moments:
        by_kind[row["kind"]][1 if row["anonymous"] else 0] += row["n"]
        by_school[row["school__name"] or ""] += row["n"]
    schools_in_period = sorted(name for name in by_school if name)

    covered = Coverage.objects.filter(
        school=OuterRef("pk"), bridge_figure__active=True, bridge_figure__user__is_active=True
    )
    visited = ContactMoment.objects.filter(period.dates_in_period("happened_on"), school=OuterRef("pk"))
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, active=True).aggregate(
        total=Count("pk"),
        covered=Count("pk", filter=Q(Exists(covered))),
        visited=Count("pk", filter=Q(Exists(visited))),
    )

    requests = SchoolRequest.objects.filter(period.in_period("created_at"))
    by_status = requests.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in SchoolRequest.Status.values}
    )
    pick_up = _grouped_medians(requests, None, _between("created_at", "picked_up_at"))[None]

    return Section(
        "bridge-work",
        _("The bridge figures' work"),
        [
            matrix_table(
                "contact-moments-kind",
                _("Contact moments by kind"),
                row_header=_("Kind"),
                columns=[_("With a family"), _("Anonymous")],
                rows=[(kind, str(label), by_kind[kind]) for kind, label in ContactMoment.Kind.choices],
                k=k,
                chart="bar",
            ),
            column_table(
                "contact-moments-place",
                _("Contact moments by place"),
                row_header=_("School"),
                column=_("Contact moments"),
                rows=[(name, name, by_school[name]) for name in schools_in_period]
                + [("none", _("not at a school"), by_school.get("", 0))],
                k=k,
            ),
            Table(
                "schools-covered",
                _("Schools covered"),
                [_("Schools")],
                [
                    Row("schools", _("Schools in the network"), [sup.count_cell(schools["total"], k)]),
                    Row(
                        "covered",
                        _("With a bridge figure as contact point"),
                        [sup.count_cell(schools["covered"], k)],
                    ),
                    Row(
                        "visited",
                        _("With contact moments in the period"),
                        [sup.count_cell(schools["visited"], k)],
                    ),
                ],
                row_header=_("Schools"),
                note=_(
                    "Active schools of the network today; contact point: an active bridge figure covers it."
                ),
            ),
            column_table(
                "school-requests",
                _("School requests by status"),
                row_header=_("Status today"),
                column=_("Requests"),
                rows=[
                    (status, str(label), by_status[status]) for status, label in SchoolRequest.Status.choices
                ],
                k=k,
                note=_("Requests a school made in the period."),
            ),
            Table(
                "school-requests-pick-up",
                _("How fast school requests were picked up"),
                [_("Requests picked up"), _("Median days")],
                [
                    Row(
                        "picked-up",
                        _("Picked up"),
                        [sup.count_cell(pick_up[0], k), sup.median_cell(pick_up[1], pick_up[0], k)],
                    )
                ],
                row_header=_("Requests"),
                note=_("Days from the request to its pick-up by a bridge figure, in calendar days."),
            ),
        ],
    )


def _stale_cutoff(day: datetime.date) -> datetime.date:
    """The latest answer-by date whose referral, still unanswered, is stale on `day`: stale means N
    working days past its answer-by date (2N after sending), as referrals/delivery.py decides."""
    days = settings.VILLAGE_RESPONSE_WORKING_DAYS
    cutoff = day - datetime.timedelta(days=1)
    while add_working_days(cutoff, days) >= day:
        cutoff -= datetime.timedelta(days=1)
    return cutoff


def referrals_section(period: Period, k: int) -> Section:
    sent = Referral.objects.filter(period.in_period("sent_at"))
    accepted_q = Q(answered_at__isnull=False, decline_reason="")
    declined_q = Q(answered_at__isnull=False) & ~Q(decline_reason="")
    counts = sent.aggregate(
        sent=Count("pk"),
        accepted=Count("pk", filter=accepted_q),
        declined=Count("pk", filter=declined_q),
        contact=Count("pk", filter=Q(contact_made_on__isnull=False)),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
        on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("respond_by"))),
        late=Count("pk", filter=Q(answered_at__isnull=False, answered_at__date__gt=F("respond_by"))),
        withdrawn_unanswered=Count("pk", filter=Q(answered_at__isnull=True, withdrawn_at__isnull=False)),
        waiting_answer=Count("pk", filter=Q(answered_at__isnull=True, withdrawn_at__isnull=True)),
        **{f"warmth_{w}": Count("pk", filter=Q(warmth=w)) for w in Referral.Warmth.values},
        **{
            f"decline_{r}": Count("pk", filter=declined_q & Q(decline_reason=r))
            for r in Referral.DeclineReason.values
        },
        **{
            f"outcome_{o}": Count("pk", filter=Q(closed_at__isnull=False, outcome=o))
            for o in Referral.Outcome.values
        },
        **{f"follow_{f}": Count("pk", filter=Q(follow_up_result=f)) for f in Referral.FollowUp.values},
        follow_none=Count("pk", filter=Q(contact_made_on__isnull=False, follow_up_result="")),
    )
    answer = _grouped_medians(sent, None, _between("sent_at", "answered_at"))[None]
    first_contact = _grouped_medians(
        sent,
        None,
        ExpressionWrapper(F("contact_made_on") - TruncDate("sent_at"), output_field=DurationField()),
    )[None]

    domains = NeedDomain.objects.annotate(
        n=Count("referrals", filter=Q(referrals__in=sent.values("pk")))
    ).order_by("order", "code")
    by_kind = {
        row["receiving_organisation__kind"]: row
        for row in sent.order_by()
        .values("receiving_organisation__kind")
        .annotate(
            accepted=Count("pk", filter=accepted_q),
            declined=Count("pk", filter=declined_q),
            other=Count("pk", filter=Q(answered_at__isnull=True)),
        )
    }

    # Snapshot on the reference day, from timestamps (so a past period reads as it was then).
    reference = period.reference
    on_list = Referral.objects.filter(waiting_since__lt=reference).exclude(
        Q(contact_made_on__lt=period.reference_day + datetime.timedelta(days=1))
        | Q(closed_at__lt=reference)
        | Q(withdrawn_at__lt=reference)
    )
    waited = ExpressionWrapper(
        Value(reference, output_field=DateTimeField()) - F("waiting_since"), output_field=DurationField()
    )
    waiting = _grouped_medians(on_list, "receiving_organisation__kind", waited)
    waiting_all = _grouped_medians(on_list, None, waited)[None]
    stale = (
        Referral.objects.filter(sent_at__lt=reference, respond_by__lte=_stale_cutoff(period.reference_day))
        .exclude(Q(answered_at__lt=reference) | Q(withdrawn_at__lt=reference))
        .count()
    )

    n = settings.VILLAGE_RESPONSE_WORKING_DAYS
    kinds = Organisation.Kind.choices
    sent_note = _(
        "Referrals sent in the period, followed up to the day this report was made (an answer or "
        "a first contact after the period still counts)."
    )
    funnel_rows = [
        ("sent", pgettext("funnel stage", "Sent"), counts["sent"]),
        (
            "accepted",
            _("Accepted (also when later put on a waiting list, started or closed)"),
            counts["accepted"],
        ),
        ("contact-made", _("Contact made with the family"), counts["contact"]),
        ("closed", pgettext("funnel stage", "Closed"), counts["closed"]),
    ]
    # A funnel's stages are nested, not parts of a whole: no total, each stage suppressed on its own.
    funnel_cells = [sup.count_cell(count, k) for _key, _label, count in funnel_rows]
    funnel = Table(
        "referral-funnel",
        _("From sending to closing"),
        [_("Referrals"), _("Share of those sent")],
        [
            Row(key, label, [cell, sup.percent_cell(cell, funnel_cells[0])])
            for (key, label, _count), cell in zip(funnel_rows, funnel_cells, strict=True)
        ],
        row_header=_("Stage"),
        note=sent_note,
        chart="funnel",
    )
    tables = [
        column_table(
            "referrals-need-domain",
            _("Referrals by need domain"),
            row_header=_("Need domain"),
            column=_("Referrals"),
            rows=[(domain.code, domain.label, domain.n) for domain in domains],
            k=k,
            total=False,
            note=_("A referral can concern several need domains, so these numbers do not add up to a total."),
        ),
        matrix_table(
            "referrals-organisation-kind",
            _("Referrals by kind of receiving organisation"),
            row_header=_("Kind of organisation"),
            columns=[_("Accepted"), _("Declined"), _("No answer (yet)")],
            rows=[
                (
                    kind,
                    str(label),
                    [by_kind.get(kind, {}).get(c, 0) for c in ("accepted", "declined", "other")],
                )
                for kind, label in kinds
            ],
            k=k,
            note=sent_note,
        ),
        funnel,
        column_table(
            "referral-answers",
            _("Answers to referrals"),
            row_header=_("Answer"),
            column=_("Referrals"),
            rows=[
                (
                    "on-time",
                    ngettext("Answered within %(n)d working day", "Answered within %(n)d working days", n)
                    % {"n": n},
                    counts["on_time"],
                ),
                ("late", _("Answered later"), counts["late"]),
                ("withdrawn", _("Withdrawn before an answer"), counts["withdrawn_unanswered"]),
                ("waiting", _("Still waiting for an answer"), counts["waiting_answer"]),
            ],
            k=k,
            note=sent_note,
        ),
        Table(
            "referral-speed",
            _("How fast referrals were answered and the family contacted"),
            [_("Referrals"), _("Median days")],
            [
                Row(
                    "answer",
                    _("From sending to the answer"),
                    [sup.count_cell(answer[0], k), sup.median_cell(answer[1], answer[0], k)],
                ),
                Row(
                    "first-contact",
                    _("From sending to the first contact"),
                    [
                        sup.count_cell(first_contact[0], k),
                        sup.median_cell(first_contact[1], first_contact[0], k),
                    ],
                ),
            ],
            row_header=_("Step"),
            note=_("Calendar days; a median is shown only for at least %(k)d referrals.") % {"k": k},
        ),
        column_table(
            "referral-warmth",
            _("Warmth of the hand-over"),
            row_header=_("Warmth"),
            column=_("Referrals"),
            rows=[(str(w), str(label), counts[f"warmth_{w}"]) for w, label in Referral.Warmth.choices],
            k=k,
            note=sent_note,
        ),
        column_table(
            "referral-decline-reasons",
            _("Reasons for declining"),
            row_header=_("Reason"),
            column=_("Referrals"),
            rows=[(r, str(label), counts[f"decline_{r}"]) for r, label in Referral.DeclineReason.choices],
            k=k,
        ),
        column_table(
            "referral-outcomes",
            _("Outcomes of closed referrals"),
            row_header=_("Outcome"),
            column=_("Referrals"),
            rows=[(o, str(label), counts[f"outcome_{o}"]) for o, label in Referral.Outcome.choices],
            k=k,
        ),
        column_table(
            "referral-follow-up",
            _("Follow-up with the family: was this what they expected?"),
            row_header=_("Answer of the family"),
            column=_("Referrals"),
            rows=[(f, str(label), counts[f"follow_{f}"]) for f, label in Referral.FollowUp.choices]
            + [("not-asked", _("not followed up yet (contact made)"), counts["follow_none"])],
            k=k,
            note=_("Referrals where contact was made, by what the family said at the follow-up."),
        ),
    ]
    waiting_cells, waiting_total = sup.suppress_column(
        [waiting.get(kind, (0, None))[0] for kind, _l in kinds], k
    )
    assert waiting_total is not None
    tables.append(
        Table(
            "waiting-lists",
            _("On a waiting list"),
            [_("Referrals"), _("Median days waiting")],
            [
                Row(
                    kind,
                    str(label),
                    [
                        cell,
                        sup.median_cell(waiting.get(kind, (0, None))[1], waiting.get(kind, (0, None))[0], k),
                    ],
                )
                for (kind, label), cell in zip(kinds, waiting_cells, strict=True)
            ]
            + [
                Row(
                    "total",
                    _total_label(),
                    [waiting_total, sup.median_cell(waiting_all[1], waiting_all[0], k)],
                    is_total=True,
                )
            ],
            row_header=_("Kind of organisation"),
            note=_("Referrals on a waiting list on %(day)s, by how long they have been waiting then.")
            % {"day": _format_date(period.reference_day)},
        )
    )
    tables.append(
        Table(
            "stale-referrals",
            _("Stale referrals"),
            [_("Referrals")],
            [Row("stale", _("Sent and still unanswered"), [sup.count_cell(stale, k)])],
            row_header=_("Status"),
            note=ngettext(
                "Referrals without an answer %(n)d working day after the date an answer was expected "
                "(the network's rule), on %(day)s.",
                "Referrals without an answer %(n)d working days after the date an answer was expected "
                "(the network's rule), on %(day)s.",
                n,
            )
            % {"n": n, "day": _format_date(period.reference_day)},
        )
    )
    return Section("referrals", _("Referrals"), tables)


def _format_date(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


def catalogue_section(period: Period, k: int) -> Section:
    stale = Offer.objects.stale(period.today).values("pk")
    rows = {
        row["kind"]: row
        for row in Offer.objects.filter(active=True)
        .order_by()
        .values("kind")
        .annotate(verified=Count("pk", filter=~Q(pk__in=stale)), stale=Count("pk", filter=Q(pk__in=stale)))
    }
    return Section(
        "catalogue",
        _("The catalogue"),
        [
            matrix_table(
                "offers",
                _("Active offers by kind"),
                row_header=_("Kind of offer"),
                columns=[_("Verified in the last 12 months"), _("Not verified in the last 12 months")],
                rows=[
                    (
                        kind,
                        str(label),
                        [rows.get(kind, {}).get("verified", 0), rows.get(kind, {}).get("stale", 0)],
                    )
                    for kind, label in Offer.Kind.choices
                ],
                k=k,
                note=_("Offers in the catalogue today."),
            )
        ],
    )


def _middle(counts: dict[str, int]) -> str | None:
    """The middle answer (lower median) on the scale, as reflection/spread.py takes it."""
    ranks = sorted(
        rank for level, n in counts.items() if level in LEVEL_RANK for rank in [LEVEL_RANK[level]] * n
    )
    return SCALE[int(statistics.median_low(ranks))] if ranks else None


def reflection_section(period: Period, k: int) -> Section:
    rounds = list(
        Round.objects.closed()
        .filter(opened_at__lt=period.until)
        .order_by("framework_id", "-opened_at", "-pk")
        .values("pk", "framework_id", "title")
    )
    latest: dict[int, dict] = {}
    previous: dict[int, dict] = {}
    for round_ in rounds:  # few: one per framework and term
        if round_["framework_id"] not in latest:
            latest[round_["framework_id"]] = round_
        elif round_["framework_id"] not in previous:
            previous[round_["framework_id"]] = round_
    wanted = [r["pk"] for r in (*latest.values(), *previous.values())]
    answers: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in (
        Response.objects.filter(round_id__in=wanted)
        .order_by()
        .values("round_id", "item_id", "level")
        .annotate(n=Count("pk"))
    ):
        answers[(row["round_id"], row["item_id"])][row["level"]] = row["n"]
    frameworks = Framework.objects.filter(pk__in=list(latest)).order_by("order", "code")
    items = defaultdict(list)
    for item in Item.objects.filter(framework_id__in=list(latest)).order_by("order", "code"):
        items[item.framework_id].append(item)

    def middle_cell(counts: dict[str, int]) -> tuple[Cell, str | None]:
        on_scale = sum(n for level, n in counts.items() if level in LEVEL_RANK)
        middle = _middle(counts) if on_scale >= k else None
        if middle is None:
            return sup.median_cell(None, on_scale, k), None
        return Cell(str(Level(middle).label), str(Level(middle).label), "median"), middle

    tables = []
    for framework in frameworks:
        now_round = latest[framework.pk]
        before = previous.get(framework.pk)
        rows = []
        for item in items[framework.pk]:
            counts = answers.get((now_round["pk"], item.pk), {})
            now_cell, now_middle = middle_cell(counts)
            if before is not None:
                before_cell, before_middle = middle_cell(answers.get((before["pk"], item.pk), {}))
            else:
                before_cell, before_middle = sup.text_cell(""), None
            if now_middle and before_middle:
                steps = LEVEL_RANK[now_middle] - LEVEL_RANK[before_middle]
                change = (
                    _("no change")
                    if steps == 0
                    else ngettext("%(steps)+d step", "%(steps)+d steps", abs(steps)) % {"steps": steps}
                )
            else:
                change = sup.NOT_AVAILABLE
            answered = sum(counts.values())
            rows.append(
                Row(
                    item.code,
                    item.label,
                    [sup.count_cell(answered, k), now_cell, before_cell, sup.text_cell(change)],
                )
            )
        tables.append(
            Table(
                f"reflection-{framework.code}",
                _("%(framework)s: %(round)s") % {"framework": framework.label, "round": now_round["title"]},
                [_("Answers"), _("Middle answer"), _("Middle answer in the round before"), _("Change")],
                rows,
                row_header=_("Item"),
                note=(
                    _("Compared with the round “%(round)s”.") % {"round": before["title"]}
                    if before
                    else _("There is no earlier round to compare with.")
                )
                + " "
                + _(
                    "The middle answer is shown only when at least %(k)d people placed the network on the scale."
                )
                % {"k": k},
            )
        )

    signals = Signal.objects.filter(period.in_period("logged_at"))
    grid = defaultdict(int)
    for row in signals.order_by().values("barrier_type", "status").annotate(n=Count("pk")):
        grid[(row["barrier_type"], row["status"])] = row["n"]
    taken_up = list(
        signals.filter(taken_up_by__isnull=False)
        .order_by()
        .values("taken_up_by__name")
        .annotate(n=Count("pk"))
        .order_by("taken_up_by__name")
    )
    statuses = Signal.Status.choices
    tables.append(
        matrix_table(
            "signals",
            _("Structural signals"),
            row_header=_("Kind of barrier"),
            columns=[str(label) for _s, label in statuses],
            rows=[
                (barrier, str(label), [grid[(barrier, status)] for status, _l in statuses])
                for barrier, label in Signal.BarrierType.choices
            ],
            k=k,
            note=_("Signals logged in the period, by where they stand today."),
        )
    )
    tables.append(
        column_table(
            "signals-taken-up",
            _("Who took up the signals"),
            row_header=_("Organisation"),
            column=_("Signals"),
            rows=[(row["taken_up_by__name"], row["taken_up_by__name"], row["n"]) for row in taken_up],
            k=k,
        )
    )
    return Section("reflection", _("The network's reflection"), tables)


SECTIONS: list[Callable[[Period, int], Section]] = [
    reach_section,
    bridge_work_section,
    referrals_section,
    catalogue_section,
    reflection_section,
]


def definitions(period: Period, k: int) -> list[tuple[str, str]]:
    n = settings.VILLAGE_RESPONSE_WORKING_DAYS
    return [
        (
            _("Period"),
            _("From %(start)s to %(end)s, both included.")
            % {"start": _format_date(period.start), "end": _format_date(period.end)},
        ),
        (
            _("Reached family"),
            _(
                "A family with at least one contact moment or one change in a referral in the period. New: "
                "its file was opened in the period; continuing: opened before. Anonymised families count."
            ),
        ),
        (
            _("Age"),
            _(
                "A child's age on the last day of the period, from the date of birth or else the year of birth."
            ),
        ),
        (_("Referrals"), _("Referrals sent in the period, followed up to the day the report was made.")),
        (
            _("Stale referral"),
            ngettext(
                "Sent, and still without an answer %(n)d working day after the date an answer was expected.",
                "Sent, and still without an answer %(n)d working days after the date an answer was expected.",
                n,
            )
            % {"n": n},
        ),
        (
            _("Median"),
            _("The middle value in calendar days; shown only for groups of at least %(k)d.") % {"k": k},
        ),
        (
            _("Small numbers"),
            _(
                "A count from 1 to %(below)d is shown as “<%(k)d”. Where it could be worked out from a total, "
                "another number of the same row or column is hidden too (“×”). 0 is shown as 0."
            )
            % {"below": k - 1, "k": k},
        ),
    ]


def build_report(
    *,
    start: datetime.date,
    end: datetime.date,
    language: str = "nl",
    k: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> NetworkReport:
    """The whole report for the period `start`..`end` (inclusive), in `language`."""
    k = settings.VILLAGE_SUPPRESSION_K if k is None else k
    with translation.override(language):
        period = Period(start, end, timezone.localdate())
        municipality = (
            Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
            .order_by("pk")
            .values_list("name", flat=True)
            .first()
        )
        sections: list[Section] = []
        for done, make in enumerate(SECTIONS, start=1):
            sections.append(make(period, k))
            if progress is not None:
                progress(done, len(SECTIONS))
        return NetworkReport(
            network=municipality or _("the network"),
            period_start=start,
            period_end=end,
            generated_at=timezone.now(),
            language=language,
            k=k,
            sections=sections,
            definitions=definitions(period, k),
        )
