"""Forms of the catalogue pages: a partner worker's offer, and the coordinator's HSDS upload."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .hsds import language_codes
from .models import NeedDomain, Offer

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class OfferForm(forms.ModelForm):
    """An offer as its own organisation keeps it. `updated_at` travels as a hidden value: the stamp
    of the version the form was opened on, so a save over someone else's newer edit is refused."""

    need_domains = forms.ModelMultipleChoiceField(
        queryset=NeedDomain.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Need domains"),
        help_text=_("What families can come to this offer for."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Offer
        fields = [
            "organisation",
            "name",
            "kind",
            "description",
            "need_domains",
            "age_min",
            "age_max",
            "languages",
            "cost",
            "cost_note",
            "locations_times",
            "how_to_refer",
            "how_families_get_in",
            "contact_name",
            "contact_phone",
            "contact_email",
            "typical_wait_days",
            "capacity",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "locations_times": forms.Textarea(attrs={"rows": 3}),
            "how_to_refer": forms.Textarea(attrs={"rows": 3}),
            "how_families_get_in": forms.Textarea(attrs={"rows": 3}),
            "age_min": forms.NumberInput(attrs={"min": 0, "max": 99, "inputmode": "numeric"}),
            "age_max": forms.NumberInput(attrs={"min": 0, "max": 99, "inputmode": "numeric"}),
            "typical_wait_days": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_domains"].label_from_instance = lambda domain: domain.label
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        if len(organisations) == 1:
            # One organisation: nothing to choose, and a partner cannot move an offer elsewhere.
            self.fields["organisation"].widget = forms.HiddenInput()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()
            self.fields["organisation"].disabled = True

    def clean_languages(self) -> str:
        codes = language_codes(self.cleaned_data["languages"])
        wrong = [code for code in codes if not LANGUAGE_CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _(
                    "Use two- or three-letter language codes separated by commas, e.g. nl, fr, ar (not: %(wrong)s)."
                ),
                params={"wrong": ", ".join(wrong)},
            )
        return ", ".join(codes)

    def clean(self):
        cleaned = super().clean()
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            # On the field, in plain words; a field with an error also skips the model's age constraint.
            self.add_error("age_max", _("The maximum age cannot be lower than the minimum age."))
        for name in ("age_min", "age_max"):
            if cleaned.get(name) is not None and cleaned[name] > 99:
                self.add_error(name, _("An age is at most 99."))
        return cleaned

    def is_stale(self) -> bool:
        """True when the offer changed since this form was opened (someone else saved it)."""
        return (
            bool(self.instance.pk)
            and self.cleaned_data.get("version") != self.instance.updated_at.isoformat()
        )


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file (JSON)"),
        help_text=_("A list of Open Referral HSDS 3 services, for example an export of this catalogue."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file and count; save nothing"), required=False, initial=True
    )

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
