"""Families, their guardians and children, the consents they give, and the bridge team's logbook.

THE CONSENT GATE lives here: every query that returns family data goes through a `visible_to(user)`
method below, and every one of them reads consent dates at the moment of the query, so an expiry or
a withdrawal cuts access at once without a job having to run first (DESIGN.md §5).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import GreaterThan, IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import NeedDomain, Organisation, Role, organisations_of

YOUNG_PERSON_AGE = 12


def end_of_school_year(on: datetime.date | None = None) -> datetime.date:
    """31 August of the school year that `on` falls in (a school year runs 1 September – 31 August)."""
    on = on or timezone.localdate()
    return datetime.date(on.year + 1 if on.month >= 9 else on.year, 8, 31)


def twelfth_birthday(birth_year: int, birth_date: datetime.date | None) -> datetime.date:
    """The day a child turns twelve. With only a year known we assume 1 January, so the young
    person's own say starts as early as it possibly could (fail closed)."""
    if birth_date:
        try:
            return birth_date.replace(year=birth_date.year + YOUNG_PERSON_AGE)
        except ValueError:  # born on 29 February
            return datetime.date(birth_date.year + YOUNG_PERSON_AGE, 3, 1)
    return datetime.date(birth_year + YOUNG_PERSON_AGE, 1, 1)


# --------------------------------------------------------------------------- consent


class ConsentScope(models.TextChoices):
    REGISTER = "register", _("keep a family file (bridge team)")
    REFER = "refer", _("share with an organisation for a referral")
    INFORM_SCHOOL = "inform_school", _("minimal updates to the school")


class ConsentQuerySet(models.QuerySet):
    def active(self, at: datetime.datetime | None = None) -> ConsentQuerySet:
        return self.filter(active_q(at=at))

    def visible_to(self, user) -> ConsentQuerySet:
        """Consent records of the families held by the user's bridge teams, in every state (the team
        shows the family what it agreed to and renews it), until the family is anonymised (then
        only counts remain). Nobody else sees consent records."""
        return self.filter(
            family__holding_team_id__in=organisations_of(user, Role.BRIDGE_FIGURE),
            family__anonymised_at__isnull=True,
        )

    # Consents are append-only: bulk changes would bypass the model's guard.
    def update(self, **kwargs):
        raise ConsentIsAppendOnly(_("Consent records cannot be changed in bulk; withdraw them one by one."))

    def delete(self):
        raise ConsentIsAppendOnly(_("Consent records are never deleted."))


def active_q(prefix: str = "", at: datetime.datetime | None = None) -> Q:
    """Q for a consent that holds at `at` (default: now). `prefix` reaches a consent through a
    relation, e.g. "consents__". This is the one definition of "current consent"."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    return (
        Q(**{f"{prefix}withdrawn_at__isnull": True})
        & Q(**{f"{prefix}given_at__lte": at})
        & (Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today}))
    )


def covering_q(child_ref: str, twelfth_ref: str, at: datetime.datetime | None = None) -> Q:
    """Inside a Consent subquery: the consent covers the child found at OuterRef(child_ref).

    A consent naming the child covers it while the child is under twelve, and from twelve on only
    if the young person agreed to it (a parent's consent for an 11-year-old does not outlive the
    twelfth birthday); a family-level consent covers the child only while the child is under
    twelve (from twelve on, a young person agrees for themselves), and covers family-level
    matters (no child at all).
    """
    today = timezone.localdate(at or timezone.now())
    under_twelve = IsNull(OuterRef(child_ref), True) | GreaterThan(OuterRef(twelfth_ref), today)
    names_child = Q(child=OuterRef(child_ref))
    return (names_child & Q(young_person_agreed=True)) | (
        (names_child | Q(child__isnull=True)) & under_twelve
    )


class ConsentIsAppendOnly(ValidationError):
    pass


class Consent(models.Model):
    """A family's agreement, for one purpose and one recipient (DESIGN.md §4).

    Append-only: once saved, the only change allowed is its withdrawal. Renewing creates a new
    record pointing to the one it renews. `register` lasts until withdrawn; `refer` and
    `inform_school` expire at the end of the school year unless a date is given.
    """

    class GivenBy(models.TextChoices):
        GUARDIAN = "guardian", _("a parent or guardian")
        YOUNG_PERSON = "young_person", _("the young person")

    class Method(models.TextChoices):
        VERBAL = "verbal", _("verbally")
        PAPER = "paper", _("on paper")
        DIGITAL = "digital", _("digitally")

    family = models.ForeignKey(
        "Family", on_delete=models.PROTECT, related_name="consents", verbose_name=_("family")
    )
    child = models.ForeignKey(
        "Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("child"),
        help_text=_("Leave empty for the whole family (children under 12)."),
    )
    scope = models.CharField(_("purpose"), max_length=20, choices=ConsentScope.choices)
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consents_received",
        verbose_name=_("shared with"),
    )
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices)
    guardian = models.ForeignKey(
        "Guardian",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guardian"),
    )
    young_person_agreed = models.BooleanField(_("the young person agreed"), default=False)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    text_version = models.CharField(_("version of the consent text"), max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    given_at = models.DateTimeField(_("given on"), default=timezone.now)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renewal of"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["family", "scope", "recipient"])]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} → {self.recipient}"

    # -- state, read from dates at the moment of asking
    def is_active(self, at: datetime.datetime | None = None) -> bool:
        at = at or timezone.now()
        if self.withdrawn_at is not None or self.given_at > at:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate(at)

    @property
    def state(self) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
        if not self.is_active():
            return "expired" if self.given_at <= timezone.now() else "pending"
        if self.expires_on and self.expires_on <= timezone.localdate() + datetime.timedelta(days=30):
            return "expiring"
        return "active"

    def covers_child(self, child: Child, on: datetime.date | None = None) -> bool:
        if self.child_id is not None and self.child_id != child.pk:
            return False
        # From twelve on, only what the young person agreed to covers them (as `covering_q`).
        return (self.child_id is not None and self.young_person_agreed) or not child.is_young_person(on)

    # -- validation: the 12+ rule and coherent recipients
    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.child_id and self.child.family_id != self.family_id:
            errors.setdefault("child", []).append(_("This child is not part of this family."))
        if self.guardian_id and self.guardian.family_id != self.family_id:
            errors.setdefault("guardian", []).append(_("This guardian is not part of this family."))
        if self.given_by == self.GivenBy.GUARDIAN and not self.guardian_id:
            errors.setdefault("guardian", []).append(_("Say which parent or guardian gave this consent."))
        if self.given_by == self.GivenBy.YOUNG_PERSON and not self.child_id:
            errors.setdefault("child", []).append(
                _("A young person gives consent for themselves: choose the child.")
            )
        young_person = self.child_id and self.child.is_young_person(timezone.localdate(self.given_at))
        if young_person and not self.young_person_agreed and self.given_by != self.GivenBy.YOUNG_PERSON:
            errors.setdefault("young_person_agreed", []).append(
                _("This young person is 12 or older and must agree for themselves.")
            )
        if (
            self.scope == ConsentScope.REGISTER
            and self.recipient_id
            and self.recipient_id != self.family.holding_team_id
        ):
            errors.setdefault("recipient", []).append(
                _("A family file is kept by the family's own bridge team.")
            )
        if self.scope == ConsentScope.INFORM_SCHOOL and self.recipient_id and not self.recipient.is_school:
            errors.setdefault("recipient", []).append(_("Updates can only be shared with a school."))
        if self.given_at and self.given_at > timezone.now() + datetime.timedelta(minutes=5):
            errors.setdefault("given_at", []).append(_("A consent cannot be given in the future."))
        if self.expires_on and self.given_at and self.expires_on < timezone.localdate(self.given_at):
            errors.setdefault("expires_on", []).append(_("The end date lies before the date it was given."))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.young_person_agreed is False and self.given_by == self.GivenBy.YOUNG_PERSON:
            self.young_person_agreed = True
        if self._state.adding:
            if self.expires_on is None and self.scope != ConsentScope.REGISTER:
                self.expires_on = end_of_school_year(timezone.localdate(self.given_at))
            self.full_clean()
            return super().save(*args, **kwargs)
        self._refuse_change_other_than_withdrawal()
        kwargs["update_fields"] = self.WITHDRAWAL_FIELDS
        return super().save(*args, **kwargs)

    def _refuse_change_other_than_withdrawal(self) -> None:
        stored = Consent.objects.filter(pk=self.pk).values().get()
        for field in self._meta.concrete_fields:
            if field.name in self.WITHDRAWAL_FIELDS:
                continue
            if stored[field.attname] != getattr(self, field.attname):
                raise ConsentIsAppendOnly(_("A consent cannot be edited; withdraw it and record a new one."))
        if stored["withdrawn_at"] is not None:
            raise ConsentIsAppendOnly(_("This consent was already withdrawn."))
        if self.withdrawn_at is None:
            raise ConsentIsAppendOnly(_("The only change a consent allows is its withdrawal."))

    def delete(self, *args, **kwargs):
        raise ConsentIsAppendOnly(_("Consent records are never deleted."))


# --------------------------------------------------------------------------- families


def new_family_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "F-" + "".join(secrets.choice(alphabet) for _ in range(6))


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user) -> FamilyQuerySet:
        """Family files the user may open.

        bridge figure: families held by one of their bridge teams that have an active `register`
        consent for that team (and are not anonymised). Everyone else: none (a partner worker sees
        a family's identity only through `identity_visible_to`).
        """
        register = Consent.objects.active().filter(
            scope=ConsentScope.REGISTER, family=OuterRef("pk"), recipient=OuterRef("holding_team")
        )
        return self.filter(
            Exists(register),
            anonymised_at__isnull=True,
            holding_team_id__in=organisations_of(user, Role.BRIDGE_FIGURE),
        )

    def identity_visible_to(self, user) -> FamilyQuerySet:
        """Families whose identity (reference, guardians' names and phone) the user may see.

        bridge figure: as `visible_to`; partner worker: families with an active `refer` consent for
        one of the worker's organisations; everyone else: none.
        """
        partner_orgs = organisations_of(user, Role.PARTNER_WORKER)
        shared = Exists(
            Consent.objects.active().filter(
                scope=ConsentScope.REFER, family=OuterRef("pk"), recipient_id__in=partner_orgs
            )
        )
        return self.filter(
            Q(pk__in=self.visible_to(user).values("pk")) | Q(shared, anonymised_at__isnull=True)
        )

    def with_visible_guardians(self, user) -> FamilyQuerySet:
        """Prefetch only the guardians the user may see (for names in lists and headings)."""
        return self.prefetch_related(models.Prefetch("guardians", queryset=Guardian.objects.visible_to(user)))

    def held_by_team_of(self, user) -> FamilyQuerySet:
        return self.filter(holding_team_id__in=organisations_of(user, Role.BRIDGE_FIGURE))


class Family(models.Model):
    """A household the bridge team supports. Never: national register number, residence status,
    ethnicity or income."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone call")
        WHATSAPP = "whatsapp", _("WhatsApp or text message")
        HOME_VISIT = "home_visit", _("home visit")
        LETTER = "letter", _("letter")
        AT_SCHOOL = "at_school", _("at the school gate")

    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_family_reference)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=100, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE
    )
    holding_team = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="families", verbose_name=_("bridge team")
    )
    primary_bridge_figure = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bridge figure"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["-last_activity_at", "pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def display_name(self) -> str:
        """The guardians' last names, but only from guardians fetched through the gate
        (`FamilyQuerySet.with_visible_guardians`); otherwise just the reference (fail closed)."""
        guardians = getattr(self, "_prefetched_objects_cache", {}).get("guardians")
        if guardians is None:
            return self.reference
        names = [g.last_name for g in guardians if g.last_name]
        return " / ".join(dict.fromkeys(names)) or self.reference


class GuardianQuerySet(models.QuerySet):
    def visible_to(self, user) -> GuardianQuerySet:
        """Guardians: bridge figure of the holding team while a family-level `register` consent is
        active; partner worker while a family-level `refer` consent for their organisation is
        active; nobody else."""
        bridge = Q(family__in=Family.objects.visible_to(user)) & Exists(
            Consent.objects.active().filter(
                scope=ConsentScope.REGISTER,
                family=OuterRef("family"),
                recipient=OuterRef("family__holding_team"),
                child__isnull=True,
            )
        )
        partner = Exists(
            Consent.objects.active().filter(
                scope=ConsentScope.REFER,
                family=OuterRef("family"),
                child__isnull=True,
                recipient_id__in=organisations_of(user, Role.PARTNER_WORKER),
            )
        )
        return self.filter(bridge | partner, family__anonymised_at__isnull=True)


class Guardian(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("family")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    relationship = models.CharField(_("relationship to the children"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    objects = GuardianQuerySet.as_manager()

    class Meta:
        verbose_name = _("parent or guardian")
        verbose_name_plural = _("parents and guardians")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChildQuerySet:
        """Children: bridge figure of the holding team while a `register` consent covers the child
        (a child-level consent, or a family-level one while the child is under 12); partner worker
        while a `refer` consent for their organisation covers the child; nobody else."""
        covering = covering_q("pk", "turns_twelve_on")
        bridge = Q(family__in=Family.objects.visible_to(user)) & Exists(
            Consent.objects.active().filter(
                covering,
                scope=ConsentScope.REGISTER,
                family=OuterRef("family"),
                recipient=OuterRef("family__holding_team"),
            )
        )
        partner = Exists(
            Consent.objects.active().filter(
                covering,
                scope=ConsentScope.REFER,
                family=OuterRef("family"),
                recipient_id__in=organisations_of(user, Role.PARTNER_WORKER),
            )
        )
        return self.filter(bridge | partner, family__anonymised_at__isnull=True)


class Child(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="children", verbose_name=_("family")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    turns_twelve_on = models.DateField(editable=False)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["birth_year", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        if self.birth_date and self.birth_date.year != self.birth_year:
            raise ValidationError({"birth_date": _("The date of birth does not match the year of birth.")})
        if self.school_id and not self.school.is_school:
            raise ValidationError({"school": _("Choose a school.")})

    def save(self, *args, **kwargs) -> None:
        self.turns_twelve_on = twelfth_birthday(self.birth_year, self.birth_date)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "turns_twelve_on"}
        super().save(*args, **kwargs)

    def is_young_person(self, on: datetime.date | None = None) -> bool:
        """Twelve or older: agrees to sharing for themselves."""
        return (on or timezone.localdate()) >= twelfth_birthday(self.birth_year, self.birth_date)

    def age_on(self, on: datetime.date | None = None) -> int:
        on = on or timezone.localdate()
        if self.birth_date:
            return (
                on.year
                - self.birth_date.year
                - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))
            )
        return on.year - self.birth_year


# --------------------------------------------------------------------------- the logbook


class ContactMomentQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactMomentQuerySet:
        """Contact moments: the bridge figures of the team that logged them; a moment linked to a
        family only while that family's file is visible (active `register` consent). Nobody else."""
        return self.filter(team_id__in=organisations_of(user, Role.BRIDGE_FIGURE)).filter(
            Q(family__isnull=True) | Q(family__in=Family.objects.visible_to(user))
        )


class ContactMoment(models.Model):
    """One conversation in the bridge figure's day. Anonymous moments (no family) still count."""

    class Kind(models.TextChoices):
        SCHOOL_GATE = "school_gate", _("at the school gate")
        OFFICE_HOUR = "office_hour", _("office hour at school")
        HOME_VISIT = "home_visit", _("home visit")
        PHONE = "phone", _("phone or message")
        ACCOMPANIED = "accompanied", _("accompanied to an appointment")
        PARENT_TEACHER = "parent_teacher", _("parent–teacher meeting")
        GROUP = "group", _("group activity")

    team = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contact_moments", verbose_name=_("bridge team")
    )
    bridge_figure = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_moments",
        verbose_name=_("bridge figure"),
    )
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_moments_at",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    topics = models.ManyToManyField(
        NeedDomain, blank=True, related_name="contact_moments", verbose_name=_("topics")
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("family"),
    )
    note = models.CharField(_("short note (bridge team only)"), max_length=500, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactMomentQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["-happened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.family_id and self.team_id and self.family.holding_team_id != self.team_id:
            raise ValidationError({"family": _("This family is held by another bridge team.")})
