"""Forms of the bridge figure's family pages: the family file with its consent, and the logbook."""

from __future__ import annotations

import datetime

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import NeedDomain, Organisation

from .models import Consent, ContactMoment, Family


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def schools() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, active=True),
        required=False,
        label=_("School"),
    )


class FamilyForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = ["languages", "interpreter_needed", "preferred_channel", "postcode"]
        widgets = {"preferred_channel": forms.RadioSelect}
        help_texts = {"languages": _("For example: Dutch, Arabic")}


class GuardianForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    relationship = forms.CharField(
        label=_("Relationship to the children"),
        max_length=60,
        required=False,
        help_text=_("For example: mother"),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class ChildForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1990, max_value=2100)
    school = schools()
    grade = forms.CharField(label=_("Grade"), max_length=40, required=False)
    young_person_agreed = forms.BooleanField(
        label=_("This young person (12 or older) agreed for themselves"),
        required=False,
        help_text=_(
            "A young person of 12 or more needs their own agreement. Without it their details "
            "stay hidden in the file."
        ),
    )

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot lie in the future."))
        return year


ChildFormSet = formset_factory(ChildForm, extra=2, max_num=8)


class RegisterConsentForm(forms.Form):
    """The `register` consent the file starts from: who agreed (the guardian above), how, when."""

    agreed = forms.BooleanField(
        label=_("The parent or guardian above agreed that the bridge team keeps this family file"),
        error_messages={"required": _("Without the family's agreement no file can be kept.")},
    )
    method = forms.ChoiceField(
        label=_("How did they agree?"), choices=Consent.Method.choices, widget=forms.RadioSelect
    )
    given_on = forms.DateField(label=_("When"), widget=DateInput(), initial=timezone.localdate)

    def clean_given_on(self) -> datetime.date:
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("A consent cannot be given in the future."))
        return given_on


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=_("I understand the consequences and the family asked for this"),
        error_messages={"required": _("Confirm to withdraw this consent.")},
    )


class RenewConsentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How did they agree?"), choices=Consent.Method.choices, widget=forms.RadioSelect
    )


class ContactMomentForm(forms.ModelForm):
    """The quick log: everything but the kind may stay empty."""

    class Meta:
        model = ContactMoment
        fields = ["kind", "happened_on", "school", "place", "topics", "family", "note", "follow_up_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "topics": forms.CheckboxSelectMultiple,
            "happened_on": DateInput(),
            "follow_up_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        self.fields["family"].label_from_instance = lambda family: family.display_name
        self.fields["family"].empty_label = _("anonymous (no family)")
        self.fields["school"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.SCHOOL, active=True
        )
        self.fields["topics"].queryset = NeedDomain.objects.all()
        self.fields["topics"].label_from_instance = lambda domain: domain.label
        self.fields["happened_on"].initial = timezone.localdate
        # a radio list needs no empty choice; the school gate is where most moments happen
        self.fields["kind"].choices = ContactMoment.Kind.choices
        self.fields["kind"].initial = ContactMoment.Kind.SCHOOL_GATE


class FamilyEditForm(forms.ModelForm):
    """The family's details, and which bridge figure of the holding team follows them up."""

    class Meta:
        model = Family
        fields = ["postcode", "languages", "interpreter_needed", "preferred_channel", "primary_bridge_figure"]
        widgets = {"preferred_channel": forms.RadioSelect}
        help_texts = {"languages": _("For example: Dutch, Arabic")}

    def __init__(self, *args, bridge_figures, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["primary_bridge_figure"]
        field.queryset = bridge_figures
        field.label = _("Primary bridge figure")
        field.label_from_instance = lambda user: user.full_name or user.email


class GuardianEditForm(GuardianForm):
    """Adding or changing a parent or guardian: the opening form's fields and an e-mail address."""

    email = forms.EmailField(label=_("E-mail address"), required=False)


class ChildEditForm(ChildForm):
    """Changing a child: the opening form's fields and an optional date of birth."""

    birth_date = forms.DateField(label=_("Date of birth (optional)"), required=False, widget=DateInput())
    young_person_agreed = None  # only when adding (ChildAddForm)
    field_order = ["first_name", "last_name", "birth_year", "birth_date", "school", "grade"]


class ChildAddForm(ChildEditForm):
    """Adding a child, with the young person's own agreement when they are 12 or more."""

    young_person_agreed = forms.BooleanField(
        label=_("The young person agreed themselves"),
        required=False,
        help_text=_(
            "12+ rule: a child of 12 or more is only shown in the file once their own agreement is "
            "recorded. Tick this only if they said yes themselves."
        ),
    )
    consent_method = forms.ChoiceField(
        label=_("How did the young person agree?"),
        choices=Consent.Method.choices,
        initial=Consent.Method.VERBAL,
        widget=forms.RadioSelect,
        required=False,
    )
