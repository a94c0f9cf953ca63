"""Forms of running the questionnaire and reading what it gathered: a questionnaire session, the
stated number of members, a quote proposed for the report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.members.services import LONGEST_QUOTE


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SessionForm(Form):
    name = forms.CharField(
        label=_("What the session is for"), max_length=200,
        help_text=_("For example: Community meeting, Tuesday. Members do not see this."),
        error_messages={"required": _("Say what the session is for, e.g. \"Community meeting, Tuesday\".")},
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeInput,
        error_messages={"required": _("Give the date and time the session opens."),
                        "invalid": _("Give the date and time the session opens, like 2026-03-14 10:00.")},
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DateTimeInput, help_text=_("At most 31 days after it opens."),
        error_messages={"required": _("Give the date and time the session closes."),
                        "invalid": _("Give the date and time the session closes, like 2026-03-14 12:00.")},
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The session must close after it opens."))
        return cleaned


class StatedForm(Form):
    members_stated = forms.IntegerField(
        label=_("Number of members"), required=False, min_value=1, max_value=100_000,
        help_text=_("How many people live in or use the service now. The response rate is counted against it."),
        error_messages={
            "invalid": _("Give the number of members as a whole number from 1 to 100000."),
            "min_value": _("Give the number of members as a whole number from 1 to 100000."),
            "max_value": _("Give the number of members as a whole number from 1 to 100000."),
        },
    )


class QuoteForm(Form):
    error_names = {"text": _("quote")}
    text = forms.CharField(
        label=_("The quote, as it would appear in the report"), max_length=LONGEST_QUOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Take out anything that could tell who wrote it: names, places, dates, details of their life."),
        error_messages={"required": _("Write the words you would quote.")},
    )
