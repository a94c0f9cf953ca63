"""Opening a review cycle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from assurance.models import Service
from standards.models import Edition, EditionStatus


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes only ISO dates (2029-12-02): the
    locale's 02/12/2029 would show an empty field and post nothing."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class OpenCycleForm(Form):
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
