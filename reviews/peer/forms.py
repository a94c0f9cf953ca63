"""Forms of the peer review: the visit, ratings, agreeing, findings, actions, decision, feedback."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.models import Service
from reviews.cycles.forms import DateInput
from reviews.peer.models import ActionStatus, DecisionOutcome, FindingKind, TimetableKind, VisitFeedback
from reviews.peer.services import Correction, PeerAnswer
from reviews.peer.services.accuracy import same_words
from reviews.selfassessment.forms import CRITERION_FIELD, NOT_APPLICABLE

ABSTAIN = "abstain"


class TimeInput(forms.TimeInput):
    input_type = "time"


class VisitForm(forms.Form):
    date = forms.DateField(label=_("Visit date"), widget=DateInput, required=False)
    notes = forms.CharField(
        label=_("Notes for the team"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Travel, where to meet, anything the team should know."),
    )
    independent_ratings = forms.BooleanField(
        label=_("Reviewers rate independently"), required=False,
        help_text=_("Each reviewer sees the others' ratings only after submitting their own. Recommended."),
    )


class TimetableItemForm(forms.Form):
    starts_at = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Ends (optional)"), widget=TimeInput, required=False)
    kind = forms.ChoiceField(label=_("What"), choices=TimetableKind.choices)
    details = forms.CharField(label=_("Details (optional)"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The item must end after it starts."))
        return cleaned


class ConflictForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True).order_by("name"), label=_("Service"), to_field_name="slug"
    )
    reason = forms.CharField(
        label=_("What is the conflict?"), max_length=300,
        help_text=_("For example: I worked there until last year; a relative lives there."),
    )


@dataclass
class PeerRow:
    criterion: object
    level: object
    abstain_reason: object
    comment: object
    version: object
    staff: object = None
    member: object = None
    others: list = None


class PeerRatingsForm(forms.Form):
    """One reviewer's ratings for the criteria of one value. Drafts may be incomplete."""

    def __init__(self, *args, criteria, levels, ratings, **kwargs):
        self.criteria = criteria
        self.ratings = ratings
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        choices = [(str(level.pk), level.label) for level in reversed(levels)]
        choices += [(NOT_APPLICABLE, _("Not applicable")), (ABSTAIN, _("Abstain"))]
        for criterion in criteria:
            prefix = f"c{criterion.pk}_"
            self.fields[prefix + "level"] = forms.ChoiceField(
                label=_("My rating"), choices=choices, required=False, widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the ratings shown.")},
            )
            self.fields[prefix + "abstain_reason"] = forms.CharField(
                label=_("Why I abstain"), required=False, max_length=500,
            )
            self.fields[prefix + "comment"] = forms.CharField(
                label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("What you saw and heard that supports your rating."),
            )
            self.fields[prefix + "version"] = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def _initial(self):
        initial = {}
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            rating = self.ratings.get(criterion.pk)
            initial[prefix + "version"] = rating.version if rating else 0
            if rating is None:
                continue
            if rating.abstained:
                initial[prefix + "level"] = ABSTAIN
            elif rating.not_applicable:
                initial[prefix + "level"] = NOT_APPLICABLE
            elif rating.level_id:
                initial[prefix + "level"] = str(rating.level_id)
            initial[prefix + "abstain_reason"] = rating.abstain_reason
            initial[prefix + "comment"] = rating.comment
        return initial

    def clean(self):
        cleaned = super().clean()
        known = {str(c.pk) for c in self.criteria}
        posted = {m.group(1) for key in self.data if (m := CRITERION_FIELD.match(key))}
        if posted - known:
            raise forms.ValidationError(_("The ratings sent include a criterion that is not on this page. Nothing was saved."))
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            if cleaned.get(prefix + "level") == ABSTAIN and not (cleaned.get(prefix + "abstain_reason") or "").strip():
                self.add_error(prefix + "abstain_reason", _("Say why you abstain on %(code)s.") % {"code": criterion.code})
        return cleaned

    def rows(self):
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            yield PeerRow(
                criterion=criterion,
                level=self[prefix + "level"],
                abstain_reason=self[prefix + "abstain_reason"],
                comment=self[prefix + "comment"],
                version=self[prefix + "version"],
            )

    def answers(self):
        answers = []
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            choice = self.cleaned_data.get(prefix + "level") or ""
            answers.append(
                PeerAnswer(
                    criterion_id=criterion.pk,
                    level_id=int(choice) if choice.isdigit() else None,
                    not_applicable=choice == NOT_APPLICABLE,
                    abstained=choice == ABSTAIN,
                    # A reason is kept only with an abstention, as it is stored.
                    abstain_reason=(self.cleaned_data.get(prefix + "abstain_reason") or "").strip()
                    if choice == ABSTAIN else "",
                    comment=(self.cleaned_data.get(prefix + "comment") or "").strip(),
                    base_version=self.cleaned_data.get(prefix + "version") or 0,
                )
            )
        return answers


class AgreeForm(forms.Form):
    level = forms.ChoiceField(label=_("Agreed rating"), widget=forms.RadioSelect)
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed where the agreed rating differs from the service's own rating, or the reviewers disagreed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {str(level.pk): level for level in levels}
        self.fields["level"].choices = [(str(level.pk), level.label) for level in reversed(levels)] + [
            (NOT_APPLICABLE, _("Not applicable"))
        ]
        self.fields["level"].error_messages["required"] = _("Choose the agreed rating.")

    @property
    def chosen_level(self):
        return self.levels.get(self.cleaned_data.get("level"))

    @property
    def not_applicable(self):
        return self.cleaned_data.get("level") == NOT_APPLICABLE


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    criterion = forms.ChoiceField(label=_("Criterion (optional)"), required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = {str(c.pk): c for c in criteria}
        self.fields["criterion"].choices = [("", _("Not about one criterion"))] + [
            (str(c.pk), f"{c.code} {c.statement[:70]}") for c in criteria
        ]

    @property
    def chosen_criterion(self):
        return self.criteria.get(self.cleaned_data.get("criterion") or "")


class EscalationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the commissioners need to know now"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("They receive the concern and this reason by email, and see them on their portfolio."),
        error_messages={"required": _("Say why the commissioners need to know now.")},
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    owner = forms.CharField(label=_("Owner"), max_length=200, help_text=_("The person or role who will do it."))
    due_date = forms.DateField(label=_("Due"), widget=DateInput)
    source = forms.ChoiceField(label=_("From"), required=False)

    def __init__(self, *args, findings, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {f"f{f.pk}": f for f in findings} | {f"c{c.pk}": c for c in criteria}
        self.fields["source"].choices = (
            [("", _("Not linked"))]
            + [(f"f{f.pk}", f"{f.get_kind_display()}: {f.text[:60]}") for f in findings]
            + [(f"c{c.pk}", f"{c.code} {c.statement[:60]}") for c in criteria]
        )

    def linked(self):
        source = self.sources.get(self.cleaned_data.get("source") or "")
        if source is None:
            return {"finding": None, "criterion": None}
        if hasattr(source, "kind"):
            return {"finding": source, "criterion": source.criterion}
        return {"finding": None, "criterion": source}


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, may_verify, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_verify:
            self.fields["status"].choices = [c for c in ActionStatus.choices if c[0] != ActionStatus.VERIFIED]


class AccuracyCommentForm(forms.Form):
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


class AccuracyAnswerForm(forms.Form):
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


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    valid_until = forms.DateField(label=_("Valid until (optional)"), widget=DateInput, required=False)


class FeedbackForm(forms.Form):
    visit_rating = forms.TypedChoiceField(
        label=VisitFeedback._meta.get_field("visit_rating").verbose_name.capitalize(),
        choices=VisitFeedback.RATING_CHOICES, coerce=int, widget=forms.RadioSelect,
        help_text=_("1 not at all, 5 very"),
    )
    team_rating = forms.TypedChoiceField(
        label=VisitFeedback._meta.get_field("team_rating").verbose_name.capitalize(),
        choices=VisitFeedback.RATING_CHOICES, coerce=int, widget=forms.RadioSelect,
        help_text=_("1 not at all well, 5 very well"),
    )
    went_well = forms.CharField(label=_("What went well"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    could_improve = forms.CharField(label=_("What could be better"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
