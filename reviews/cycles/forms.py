"""Opening a review cycle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.models import Service
from standards.models import Edition, EditionStatus


class DateInput(forms.DateInput):
    input_type = "date"


class OpenCycleForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True).order_by("name"), label=_("Service"), to_field_name="slug"
    )
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.filter(status=EditionStatus.PUBLISHED).select_related("framework"),
        label=_("Standards edition"),
        help_text=_("Only published editions can be used."),
    )
    self_assessment_due = forms.DateField(label=_("Self-assessment due"), widget=DateInput, required=False)
    visit_due = forms.DateField(label=_("Visit due by"), widget=DateInput, required=False)

    def clean(self):
        cleaned = super().clean()
        due, visit = cleaned.get("self_assessment_due"), cleaned.get("visit_due")
        if due and visit and visit < due:
            self.add_error("visit_due", _("The visit cannot be due before the self-assessment."))
        return cleaned
