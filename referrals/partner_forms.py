"""Forms of the partner worker's pages: the inbox filter and one form per answer to a referral.

Every action form carries the referral's version as the user saw it (a hidden field), so the
lifecycle can refuse a change made on a stale page (ConcurrentChange) instead of overwriting
a colleague's answer. Notes are for the referring bridge team; the school never sees them.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Offer, Organisation

from .models import Referral, Status

# The inbox groups a partner worker thinks in, and the statuses behind each.
INBOX_GROUPS: dict[str, tuple[str, ...]] = {
    "new": (Status.SENT,),
    "waiting": (Status.ACCEPTED, Status.WAITING),
    "active": (Status.CONTACT_MADE, Status.IN_PROGRESS),
    "closed": (Status.DECLINED, Status.CLOSED, Status.WITHDRAWN),
}
INBOX_GROUP_LABELS = {
    "new": _("New"),
    "waiting": _("Accepted or waiting"),
    "active": _("Support under way"),
    "closed": _("Closed"),
}


class InboxFilter(django_filters.FilterSet):
    """Always applied to the partner's inbox queryset (scoped by the gate before it gets here)."""

    group = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=list(INBOX_GROUP_LABELS.items()),
        empty_label=_("all referrals"),
        method="in_group",
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), field_name="receiving_organisation", queryset=Organisation.objects.none()
    )

    class Meta:
        model = Referral
        fields = ["group", "organisation"]

    def __init__(self, *args, organisations: tuple = (), **kwargs):
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.filters["organisation"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in organisations]
            ).order_by("name")
        else:
            # One organisation: nothing to choose, so the field is not offered at all.
            del self.filters["organisation"]

    def in_group(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status__in=INBOX_GROUPS.get(value, ()))


NOTE_LABEL = _("Note for the referring bridge team (optional)")
NOTE_HELP = _("Never shown to the school.")


class PartnerActionForm(forms.Form):
    """The version the user saw, and a note for the referring team."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=NOTE_LABEL,
        help_text=NOTE_HELP,
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def action_kwargs(self) -> dict:
        """Keyword arguments for the lifecycle function, apart from `by` and `expected_version`."""
        return {"note": self.cleaned_data["note"]}


class AcceptForm(PartnerActionForm):
    pass


class DeclineForm(PartnerActionForm):
    reason = forms.ChoiceField(
        label=_("Why do you decline?"),
        choices=Referral.DeclineReason.choices,
        widget=forms.RadioSelect,
    )
    suggested_offer = forms.ModelChoiceField(
        label=_("Suggest another offer (optional)"),
        queryset=Offer.objects.none(),
        required=False,
    )
    field_order = ["version", "reason", "note", "suggested_offer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue is not family data: any active offer may be suggested.
        self.fields["suggested_offer"].queryset = (
            Offer.objects.filter(active=True).select_related("organisation").order_by("name", "pk")
        )
        self.fields["suggested_offer"].label_from_instance = lambda offer: (
            f"{offer.name} · {offer.organisation.name}"
        )
        self.fields["note"].label = _("Explain, for the referring bridge team (optional)")
        self.fields["note"].max_length = 500

    def action_kwargs(self) -> dict:
        return {
            "reason": self.cleaned_data["reason"],
            "note": self.cleaned_data["note"],
            "suggested_offer": self.cleaned_data["suggested_offer"],
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class WaitingListForm(PartnerActionForm):
    expected_start = forms.DateField(label=_("Expected start (optional)"), required=False, widget=DateInput)
    interim_support = forms.CharField(
        label=_("Support in the meantime (optional)"), max_length=300, required=False
    )
    field_order = ["version", "expected_start", "interim_support", "note"]

    def clean_expected_start(self):
        expected_start = self.cleaned_data["expected_start"]
        if expected_start and expected_start < timezone.localdate():
            raise forms.ValidationError(_("The expected start cannot lie in the past."))
        return expected_start

    def action_kwargs(self) -> dict:
        return {
            "expected_start": self.cleaned_data["expected_start"],
            "interim_support": self.cleaned_data["interim_support"],
            "note": self.cleaned_data["note"],
        }


class ContactMadeForm(PartnerActionForm):
    on = forms.DateField(label=_("Date of the first contact"), widget=DateInput)
    field_order = ["version", "on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date of first contact cannot lie in the future."))
        return on

    def action_kwargs(self) -> dict:
        return {"on": self.cleaned_data["on"], "note": self.cleaned_data["note"]}


class StartSupportForm(PartnerActionForm):
    pass


class CloseForm(PartnerActionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Referral.Outcome.choices, widget=forms.RadioSelect
    )
    field_order = ["version", "outcome", "note"]

    def action_kwargs(self) -> dict:
        return {"outcome": self.cleaned_data["outcome"], "note": self.cleaned_data["note"]}


# action (the lifecycle's name for it) -> form and button text, in the order the page shows them.
# Button texts and the form ids built from these keys (`action-<key>`) are relied on by the
# browser journeys: keep them stable.
PARTNER_ACTIONS: dict[str, tuple[type[PartnerActionForm], object, object]] = {
    "accept": (AcceptForm, _("Accept"), _("Accept the referral")),
    "decline": (DeclineForm, _("Decline"), _("Decline the referral")),
    "put_on_waiting_list": (WaitingListForm, _("Waiting list"), _("Put on the waiting list")),
    "record_contact": (ContactMadeForm, _("Contact made"), _("First contact with the family")),
    "start": (StartSupportForm, _("Support started"), _("Support has started")),
    "close": (CloseForm, _("Close"), _("Close the referral")),
}
