"""The form that asks for a network report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from standards.models import Edition, EditionStatus


class NetworkReportForm(Form):
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.exclude(status=EditionStatus.DRAFT).select_related("framework"),
        label=_("Standards edition"),
        error_messages={"required": _("Choose a standards edition."),
                        "invalid_choice": _("Choose one of the editions listed.")},
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              help_text=_("Reviews opened in this year, the latest for each service."),
                              error_messages={"required": _("Enter the year, for example 2026."),
                                              "invalid": _("Enter the year as a number, for example 2026.")})
    names = forms.BooleanField(
        label=_("Name the services"), required=False,
        help_text=_("Leave unticked to show services by anonymous code, as the network normally does."),
    )
