"""The lead reviewer's recommended outcome, and an administrator's ratification or return."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.cycles.forms import DateInput
from reviews.decisions.dates import award_valid_until, follow_up_due_by
from reviews.peer.models import DecisionOutcome

OUTCOME_HINTS = {
    DecisionOutcome.AWARDED: _("The service meets the standards."),
    DecisionOutcome.AWARDED_WITH_CONDITIONS: _("Awarded, with actions the service must complete."),
    DecisionOutcome.DEFERRED: _("A follow-up review of the criteria not met, by the date below."),
    DecisionOutcome.NOT_AWARDED: _("The service does not meet the standards this time."),
}


class RecommendationForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome you recommend"), choices=DecisionOutcome.choices,
                                widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000,
                              help_text=_("The administrators who ratify it, and later the service, read these."))
    valid_until = forms.DateField(label=_("Award valid until"), widget=DateInput, required=False,
                                  help_text=_("For an award."))
    follow_up_due = forms.DateField(label=_("Follow-up due by"), widget=DateInput, required=False,
                                    help_text=_("For a deferral: when the service sends its new evidence."))

    def __init__(self, *args, recommended=False, **kwargs):
        kwargs.setdefault("initial", {
            "outcome": DecisionOutcome.AWARDED if recommended else DecisionOutcome.DEFERRED,
            "valid_until": award_valid_until(),
            "follow_up_due": follow_up_due_by(),
        })
        super().__init__(*args, **kwargs)

    def outcome_tiles(self):
        """Each outcome's radio button with its hint, for the large tiles."""
        return [(choice, OUTCOME_HINTS[choice.data["value"]]) for choice in self["outcome"]]


class VoteForm(Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=10000,
                             help_text=_("Needed to return it: the lead reviewer reads it. Optional to ratify."))
