"""The care coordinator's form: ask the bridge figure to contact a pupil's family."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SchoolRequest


class SchoolRequestForm(forms.ModelForm):
    """Only what the bridge figure needs to make contact. A coordinator of several schools picks
    one of their own schools; with one school the field is left out."""

    school = forms.ModelChoiceField(queryset=None, label=_("School"), empty_label=None)

    class Meta:
        model = SchoolRequest
        fields = ["school", "pupil_first_name", "pupil_last_name", "grade", "reason", "parents_know"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3, "maxlength": 400}),
            "parents_know": forms.RadioSelect,
        }
        help_texts = {
            "reason": _(
                "Write only what the bridge figure needs to make contact: no diagnoses, no details "
                "about the family."
            ),
        }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            del self.fields["school"]
            self.only_school = schools[0]
        else:
            self.only_school = None
        # A model field with choices offers an empty "---------" radio; a choice is required.
        self.fields["parents_know"].choices = SchoolRequest.ParentsKnow.choices

    def chosen_school(self):
        return self.only_school or self.cleaned_data["school"]
