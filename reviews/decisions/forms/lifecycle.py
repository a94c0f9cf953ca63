"""Forms of the award's interim review: asking for it, the service's update, reading it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.cycles.forms import DateInput


class RequestInterimForm(Form):
    due_on = forms.DateField(label=_("Due by (optional)"), widget=DateInput, required=False,
                             help_text=_("Left empty: halfway between the decision and the end of the award."))


class InterimUpdateForm(Form):
    """The statement, and one short note per value of the edition (fields named value-<code>)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput)
    statement = forms.CharField(
        label=_("What has changed since the review"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        max_length=10000, help_text=_("Progress on the action plan, changes in the team, in the community, in the building."),
    )

    def __init__(self, *args, values, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = list(values)
        for value in self.values:
            self.fields[f"value-{value.code}"] = forms.CharField(
                label=value.name, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("A short note: what has changed for this value, if anything."),
            )

    def by_value(self):
        return {value.code: self.cleaned_data.get(f"value-{value.code}", "") for value in self.values}


class ReadInterimForm(Form):
    error_names = {"note": _("note")}
    note = forms.CharField(label=_("Your note for the service"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=5000, error_messages={"required": _("Write a note for the service about its update.")})
