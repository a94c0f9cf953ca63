"""Forms of factual accuracy: the service's comment on an agreed rating or a finding, and the lead
reviewer's answer, which may change what the comment is about."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.peer.services import Correction
from reviews.peer.services.accuracy import same_words
from reviews.selfassessment.forms import NOT_APPLICABLE


class AccuracyCommentForm(Form):
    about = forms.ChoiceField(label=_("What is the comment about?"))
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text=_("Say what is not accurate, and what is."),
    )

    def __init__(self, *args, criteria, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {f"c{c.pk}": ("criterion", c) for c in criteria} | {f"f{f.pk}": ("finding", f) for f in findings}
        self.fields["about"].choices = (
            [("", _("Choose…"))]
            + [(f"c{c.pk}", _("Agreed rating of %(code)s") % {"code": c.code}) for c in criteria]
            + [(f"f{f.pk}", f"{f.get_kind_display()}: {f.text[:60]}") for f in findings]
        )

    def target(self):
        kind, obj = self.targets[self.cleaned_data["about"]]
        return {kind: obj}


class AccuracyAnswerForm(Form):
    """The lead reviewer's answer to a comment on accuracy, and the change it makes, if any: another
    agreed rating (`rating`) or new wording of the finding (`text`). The answer is the change's reason."""

    response = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("If you change the rating or the finding, the answer is the reason the report gives."),
    )
    seen_response = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def __init__(self, *args, comment, agreed=None, levels=(), **kwargs):
        super().__init__(*args, initial={"seen_response": comment.response}, **kwargs)
        self.comment, self.agreed = comment, agreed
        if comment.criterion_id and agreed is not None:
            self.current = NOT_APPLICABLE if agreed.not_applicable else str(agreed.level_id)
            self.levels = {str(level.pk): level for level in levels}
            self.fields["rating"] = forms.ChoiceField(
                label=_("Change the agreed rating to"), widget=forms.RadioSelect, initial=self.current, required=False,
                choices=[(str(level.pk), level.label) for level in reversed(levels)]
                + [(NOT_APPLICABLE, _("Not applicable"))],
                help_text=_("Now: %(rating)s. Leave it chosen to keep the rating as it is.")
                % {"rating": _("Not applicable") if agreed.not_applicable else agreed.level.label},
            )
            self.fields["seen_version"] = forms.IntegerField(widget=forms.HiddenInput, initial=agreed.version,
                                                            required=False)
        elif comment.finding_id:
            self.fields["text"] = forms.CharField(
                label=_("Change the finding's wording to"), widget=forms.Textarea(attrs={"rows": 3}),
                max_length=5000, initial=comment.finding.text, required=False,
                help_text=_("Leave it as it is to keep the finding."),
            )
            self.fields["seen_text"] = forms.CharField(widget=forms.HiddenInput, initial=comment.finding.text,
                                                       required=False, strip=False)

    def correction(self):
        """The change the answer makes, or None when it keeps the rating or the finding as it is."""
        data = self.cleaned_data
        if data.get("rating") and data["rating"] != self.current:
            return Correction(level=self.levels.get(data["rating"]), not_applicable=data["rating"] == NOT_APPLICABLE,
                              seen=data.get("seen_version"))
        if data.get("text") and not same_words(data["text"], self.comment.finding.text):
            return Correction(text=data["text"], seen=data.get("seen_text"))
        return None
