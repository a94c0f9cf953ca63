"""Forms of the follow-up review: the service's answer per criterion, the lead reviewer's new
rating per criterion, and the recommended outcome. Evidence is added with the self-assessment's
own evidence forms (reviews.selfassessment.forms), which check files and links."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.cycles.forms import DateInput
from reviews.peer.models import DecisionOutcome
from reviews.selfassessment.forms import NOT_APPLICABLE


class FollowUpAnswerForm(Form):
    error_names = {"narrative": _("what has changed")}
    narrative = forms.CharField(
        label=_("What has changed, and what shows it"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
        error_messages={"required": _("Say what has changed and what shows it.")},
    )
    evidence = forms.MultipleChoiceField(label=_("Evidence that shows it"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(str(item.pk), item.title) for item in evidence]

    @property
    def evidence_ids(self):
        return [int(pk) for pk in self.cleaned_data.get("evidence", [])]


class FollowUpRatingForm(Form):
    level = forms.ChoiceField(label=_("New rating"), widget=forms.RadioSelect,
                              error_messages={"required": _("Choose the new rating, or Not applicable.")})
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text=_("The report gives it beside any rating that changes."),
        error_messages={"required": _("Give the rationale for the new rating.")},
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {str(level.pk): level for level in levels}
        self.fields["level"].choices = [(str(level.pk), level.label) for level in reversed(levels)] + [
            (NOT_APPLICABLE, _("Not applicable"))
        ]

    @property
    def chosen_level(self):
        return self.levels.get(self.cleaned_data.get("level"))

    @property
    def not_applicable(self):
        return self.cleaned_data.get("level") == NOT_APPLICABLE


class FollowUpRecommendationForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome you recommend"), choices=DecisionOutcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Choose the outcome you recommend.")})
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
                              error_messages={"required": _("Give the reasons for the outcome you recommend.")})
    valid_until = forms.DateField(label=_("Award valid until (for an award)"), required=False, widget=DateInput,
                                  help_text=_("Left empty, an award is valid for the network's usual term."))
    follow_up_due = forms.DateField(label=_("Next follow-up due by (if deferred again)"), required=False,
                                    widget=DateInput,
                                    help_text=_("Left empty, the network's usual weeks from today."))
