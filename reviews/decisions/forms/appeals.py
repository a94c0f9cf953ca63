"""Forms of appeals: lodging one, appointing its panel, deciding it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.cycles.forms import DateInput
from reviews.decisions.models import AppealResult
from reviews.peer.models import DecisionOutcome


class LodgeAppealForm(Form):
    grounds = forms.CharField(
        label=_("Grounds for the appeal"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000,
        help_text=_("What the decision got wrong, and what shows it. The panel reads this."),
        error_messages={"required": _("Give the grounds for the appeal: what the decision got wrong, and why.")},
    )


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class AppointPanelForm(Form):
    error_names = {"members": _("panel")}
    members = PersonChoice(
        label=_("Panel members"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("Network administrators who took no part in the review, hold no role at the service and "
                    "declared no conflict of interest with it."),
        error_messages={"required": _("Choose at least one person for the panel.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class DecideAppealForm(Form):
    result = forms.ChoiceField(label=_("The panel's decision"), choices=AppealResult.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Choose whether the appeal is upheld or dismissed.")})
    new_outcome = forms.ChoiceField(
        label=_("Outcome after the appeal (if upheld)"), required=False, widget=forms.RadioSelect,
        choices=DecisionOutcome.choices,
    )
    valid_until = forms.DateField(
        label=_("Award valid until (optional)"), widget=DateInput, required=False,
        help_text=_("For an award. Left empty, the award's current end date, or the usual term from the decision."),
    )
    reasons = forms.CharField(label=_("The panel's reasons"), widget=forms.Textarea(attrs={"rows": 6}),
                              max_length=10000, error_messages={"required": _("Give the panel's reasons.")})
