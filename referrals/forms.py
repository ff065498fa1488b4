"""Forms of the bridge figure's referral pages: the catalogue search, the warm referral, the
consent recorded on the spot, follow-up, and school requests."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models import Consent, Family
from partners.models import NeedDomain, Offer, Organisation

from .models import Referral

NOT_RECEIVING = [Organisation.Kind.SCHOOL, Organisation.Kind.BRIDGE_TEAM]


class OfferFilter(django_filters.FilterSet):
    """The catalogue search (active offers only; the catalogue is not family data)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    domain = django_filters.ModelChoiceFilter(
        label=_("Need domain"), field_name="need_domains", queryset=NeedDomain.objects.all(), distinct=True
    )
    age = django_filters.NumberFilter(label=_("Age of the child"), method="for_age")
    language = django_filters.CharFilter(
        label=_("Language (code, e.g. ar)"), field_name="languages", lookup_expr="icontains"
    )
    cost = django_filters.ChoiceFilter(label=_("Cost"), choices=Offer.Cost.choices)
    max_wait = django_filters.NumberFilter(label=_("Waiting time at most (days)"), method="wait_at_most")

    class Meta:
        model = Offer
        fields = ["q", "domain", "age", "language", "cost", "max_wait"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["domain"].field.label_from_instance = lambda domain: domain.label

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(organisation__name__icontains=value)
        )

    def for_age(self, queryset, name, value):
        return queryset.filter(Q(age_min__isnull=True) | Q(age_min__lte=value)).filter(
            Q(age_max__isnull=True) | Q(age_max__gte=value)
        )

    def wait_at_most(self, queryset, name, value):
        return queryset.filter(Q(typical_wait_days__isnull=True) | Q(typical_wait_days__lte=value))


class ReferralForm(forms.ModelForm):
    """A warm referral: for whom, about what, to whom (an offer or an organisation), how warm."""

    offer = forms.ModelChoiceField(
        queryset=Offer.objects.filter(active=True),
        required=False,
        label=_("Offer from the catalogue"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Referral
        fields = [
            "child",
            "need_domains",
            "offer",
            "receiving_organisation",
            "receiving_contact",
            "warmth",
            "source",
            "question",
        ]
        widgets = {
            "need_domains": forms.CheckboxSelectMultiple,
            "warmth": forms.RadioSelect,
            "question": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"receiving_organisation": _("Or choose the organisation")}
        help_texts = {"receiving_contact": _("The person who will call the family back.")}

    def __init__(self, *args, family: Family, children, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["child"].queryset = children
        self.fields["child"].empty_label = _("the whole family")
        self.fields["need_domains"].queryset = NeedDomain.objects.all()
        self.fields["need_domains"].label_from_instance = lambda domain: domain.label
        self.fields["need_domains"].required = False  # sending checks it; a draft may be incomplete
        self.fields["question"].required = False
        self.fields["receiving_organisation"].required = False
        self.fields["receiving_organisation"].queryset = Organisation.objects.filter(active=True).exclude(
            kind__in=NOT_RECEIVING
        )
        # Show the catalogue's search result (and the offer already chosen); accept any active offer.
        self.offer_choices = offers
        self.fields["offer"].label_from_instance = lambda offer: f"{offer.name} · {offer.organisation}"

    def clean(self):
        cleaned = super().clean()
        offer = cleaned.get("offer")
        if offer is not None:
            cleaned["receiving_organisation"] = offer.organisation
            if not cleaned.get("receiving_contact") and offer.contact_name:
                cleaned["receiving_contact"] = offer.contact_name
        elif not cleaned.get("receiving_organisation"):
            self.add_error("offer", _("Choose an offer or an organisation."))
        return cleaned


class ReferConsentForm(forms.Form):
    """The `refer` consent recorded on the spot, for the receiving organisation."""

    given_by = forms.ChoiceField(
        label=_("Who agreed?"), choices=Consent.GivenBy.choices, widget=forms.RadioSelect
    )
    guardian = forms.ModelChoiceField(queryset=None, required=False, label=_("Parent or guardian"))
    young_person_agreed = forms.BooleanField(
        required=False,
        label=_("The young person (12 or older) agreed themselves"),
        help_text=_("A young person of 12 or more must agree for themselves."),
    )
    method = forms.ChoiceField(label=_("How?"), choices=Consent.Method.choices, widget=forms.RadioSelect)

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = guardians
        if len(guardians) == 1:
            self.fields["guardian"].initial = guardians[0].pk
        self.fields["guardian"].empty_label = None if len(guardians) == 1 else "---------"


class VersionForm(forms.Form):
    """The version of the referral the user saw, so a concurrent change is detected."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class FollowUpForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("Was this what the family expected?"),
        choices=Referral.FollowUp.choices,
        widget=forms.RadioSelect,
    )


class LinkSchoolRequestForm(forms.Form):
    family = forms.ModelChoiceField(queryset=None, required=False, label=_("Family"))
    referral = forms.ModelChoiceField(queryset=None, required=False, label=_("Referral"))

    def __init__(self, *args, families, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        self.fields["family"].label_from_instance = lambda family: family.display_name
        self.fields["referral"].queryset = referrals
        self.fields["referral"].label_from_instance = lambda r: (
            f"{r.family.reference} → {r.receiving_organisation}"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("family") and not cleaned.get("referral"):
            raise forms.ValidationError(_("Choose a family or a referral."))
        return cleaned
