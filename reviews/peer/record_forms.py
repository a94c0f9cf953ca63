"""Forms of reviewers' records: the network's record of training and vetting, and a time unavailable."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.cycles.forms import DateInput


class ReviewerRecordForm(Form):
    trained_on = forms.DateField(
        label=_("Reviewer training completed"), widget=DateInput, required=False,
        error_messages={"invalid": _("Reviewer training completed: enter a real date, like 2 December 2026")},
    )
    vetting = forms.CharField(
        label=_("Vetting or security clearance"), max_length=100, required=False,
        help_text=_("For example: enhanced DBS, prison vetting, NPPV level 2. Secure settings need it valid on "
                    "the visit day."),
    )
    vetting_expires_on = forms.DateField(
        label=_("Vetting expires"), widget=DateInput, required=False,
        error_messages={"invalid": _("Vetting expires: enter a real date, like 2 December 2026")},
    )
    notes = forms.CharField(label=_("Notes for the network"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class UnavailabilityForm(Form):
    starts_on = forms.DateField(
        label=_("From"), widget=DateInput,
        error_messages={"required": _("Enter the first day you cannot visit (From)"),
                        "invalid": _("From: enter a real date, like 2 December 2026")},
    )
    ends_on = forms.DateField(
        label=_("Until"), widget=DateInput, help_text=_("The last day you cannot visit: the same day for one day."),
        error_messages={"required": _("Enter the last day you cannot visit (Until)"),
                        "invalid": _("Until: enter a real date, like 2 December 2026")},
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False,
                           help_text=_("For example: annual leave, another visit."))

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Until: the last day cannot be before the first."))
        return cleaned
