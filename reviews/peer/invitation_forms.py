"""Forms of a visit's invitations: answering one, proposing dates, and saying on which of them
one could come."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.cycles.forms import DateInput
from reviews.peer.models import Availability
from reviews.templatetags.review_tags import long_date

ACCEPT, DECLINE = "accept", "decline"


class InvitationAnswerForm(Form):
    error_names = {"answer": _("Your answer"), "reason": _("Reason for declining")}
    answer = forms.ChoiceField(
        label=_("Can you take part in the visit?"), widget=forms.RadioSelect,
        choices=[(ACCEPT, _("Yes, I accept")), (DECLINE, _("No, I decline"))],
        error_messages={"required": _("Say whether you accept or decline the invitation.")},
    )
    reason = forms.CharField(
        label=_("If you decline, why?"), max_length=300, required=False,
        help_text=_("The network administrator reads this, to find someone else if need be."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "invitation")
        super().__init__(*args, **kwargs)


class ProposeDatesForm(Form):
    date_1 = forms.DateField(label=_("First date"), widget=DateInput)
    date_2 = forms.DateField(label=_("Second date"), widget=DateInput)
    date_3 = forms.DateField(label=_("Third date (optional)"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "proposed")
        super().__init__(*args, **kwargs)

    def dates(self):
        return [self.cleaned_data[name] for name in ("date_1", "date_2", "date_3") if self.cleaned_data.get(name)]


class AvailabilityForm(Form):
    """One question per proposed date: can you come?"""

    def __init__(self, *args, proposed_dates=(), **kwargs):
        kwargs.setdefault("prefix", "availability")
        super().__init__(*args, **kwargs)
        self.proposed = {f"on_{proposed.pk}": proposed for proposed in proposed_dates}
        for name, proposed in self.proposed.items():
            day = long_date(proposed.date)
            self.fields[name] = forms.ChoiceField(
                label=day, widget=forms.RadioSelect, choices=Availability.choices,
                error_messages={"required": _("Say whether you could come on %(day)s.") % {"day": day}},
            )

    def answers(self):
        return {proposed: self.cleaned_data[name] for name, proposed in self.proposed.items()}
