"""The fast entry page's form: a reviewer's ratings for every criterion at once, typed in from
the paper visit pack. Rows that are right are saved even when another row needs correcting."""

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from reviews.peer.forms import PeerRatingsForm


class QuickRatingsForm(PeerRatingsForm):
    """PeerRatingsForm, compact: a select per criterion (typing a level's first letter picks it)
    and a one-line comment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            level = self.fields[prefix + "level"]
            level.choices = [("", _("Not rated yet")), *level.choices]
            level.widget = forms.Select(choices=level.choices)
            self.fields[prefix + "comment"].widget = forms.Textarea(attrs={"rows": 1, "class": "input--compact"})
            self.fields[prefix + "abstain_reason"].widget.attrs["class"] = "input--compact"

    def rows_in_error(self):
        """The criterion ids whose row has an error (all of them when the form as a whole has one)."""
        if NON_FIELD_ERRORS in self.errors:
            return {criterion.pk for criterion in self.criteria}
        return {int(name[1:].split("_", 1)[0]) for name in self.errors}

    def valid_answers(self):
        """The answers of the rows without an error: those are saved."""
        wrong = self.rows_in_error()
        return [answer for answer in self.answers() if answer.criterion_id not in wrong]

    def row_error(self, criterion_id, message):
        self.add_error(f"c{criterion_id}_level", message)
