"""Forms of the peer review: the visit, ratings, agreeing, findings, actions, decision, feedback."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form, name_for_row
from reviews.cycles.forms import DateInput
from reviews.peer.models import ActionStatus, FindingKind, TimetableKind, VisitFeedback
from reviews.peer.services import AgreedAnswer, PeerAnswer
from reviews.peer.services.team import visit_before_opening
from reviews.selfassessment.forms import CRITERION_FIELD, NOT_APPLICABLE

ABSTAIN = "abstain"


class TimeInput(forms.TimeInput):
    input_type = "time"


class VisitForm(Form):
    date = forms.DateField(label=_("Visit date"), widget=DateInput, required=False)
    notes = forms.CharField(
        label=_("Notes for the team"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Travel, where to meet, anything the team should know."),
    )
    independent_ratings = forms.BooleanField(
        label=_("Reviewers rate independently"), required=False,
        help_text=_("Each reviewer sees the others' ratings only after submitting their own. Recommended."),
    )

    def __init__(self, *args, opened_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_on = opened_on  # the day the cycle opened: no visit before it

    def clean_date(self):
        date = self.cleaned_data["date"]
        unchanged = date == self.initial.get("date")
        if date and self.opened_on and date < self.opened_on and not unchanged:
            raise forms.ValidationError(visit_before_opening(self.opened_on))
        return date


class TimetableItemForm(Form):
    error_names = {"starts_at": _("start time"), "ends_at": _("end time"), "kind": _("what happens")}
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


class PeerRatingsForm(Form):
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
            for name in ("level", "abstain_reason", "comment"):
                name_for_row(self.fields[prefix + name], criterion.code)
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


class AgreeForm(Form):
    level = forms.ChoiceField(label=_("Agreed rating"), widget=forms.RadioSelect)
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed where the agreed rating differs from the reviewers' median, the members' view or the "
                    "service's own rating."),
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


# --- agreeing one value at a time (issue 11) ---------------------------------------------------


@dataclass
class AgreeRow:
    grid: object  # reviews.peer.queries.GridRow
    reviewers: list  # [(TeamMember, PeerRating or None)], in team order
    level: object
    rationale: object
    version: object
    preselected: object = None  # the label chosen for the lead because every reviewer said it


def unanimous_choice(reviews):
    """The choice every reviewer who rated a criterion made (a level's id as text, or Not
    applicable), or None when they differ or nobody rated it. Abstentions are left out."""
    choices = {NOT_APPLICABLE if r.not_applicable else str(r.level_id) for r in reviews
               if r is not None and (r.level_id or r.not_applicable)}
    return choices.pop() if len(choices) == 1 else None


class AgreeValueForm(Form):
    """The lead's agreed ratings for the criteria of one value. Where nothing is agreed yet and
    every reviewer who rated a criterion said the same, that choice is pre-selected; it is saved
    only when the lead saves the page."""

    def __init__(self, *args, rows, levels, team, **kwargs):
        self.grid_rows, self.team = rows, team
        self.choice_labels = {str(level.pk): level.label for level in levels} | {NOT_APPLICABLE: _("Not applicable")}
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        choices = [(str(level.pk), level.label) for level in reversed(levels)] + [(NOT_APPLICABLE, _("Not applicable"))]
        for row in rows:
            prefix = f"c{row.criterion.pk}_"
            self.fields[prefix + "level"] = forms.ChoiceField(
                label=_("Agreed rating"), choices=choices, required=False, widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the ratings shown.")},
            )
            self.fields[prefix + "rationale"] = forms.CharField(
                label=_("Rationale"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
            )
            for name in ("level", "rationale"):
                name_for_row(self.fields[prefix + name], row.criterion.code)
            self.fields[prefix + "version"] = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def _initial(self):
        initial = {}
        for row in self.grid_rows:
            prefix, agreed = f"c{row.criterion.pk}_", row.agreed
            initial[prefix + "version"] = agreed.version if agreed else 0
            if agreed is not None:
                initial[prefix + "level"] = NOT_APPLICABLE if agreed.not_applicable else str(agreed.level_id)
                initial[prefix + "rationale"] = agreed.rationale
            elif choice := unanimous_choice(row.reviews):
                initial[prefix + "level"] = choice
        return initial

    def clean(self):
        cleaned = super().clean()
        known = {str(row.criterion.pk) for row in self.grid_rows}
        posted = {m.group(1) for key in self.data if (m := CRITERION_FIELD.match(key))}
        if posted - known:
            raise forms.ValidationError(_("The ratings sent include a criterion that is not on this page. Nothing was saved."))
        for row in self.grid_rows:
            prefix = f"c{row.criterion.pk}_"
            if prefix + "version" in self.errors:
                self.add_error(prefix + "level", _("The page was out of date. Reload it and try again."))
        return cleaned

    def rows(self):
        for row in self.grid_rows:
            prefix = f"c{row.criterion.pk}_"
            preselected = unanimous_choice(row.reviews) if row.agreed is None else None
            yield AgreeRow(
                grid=row, reviewers=list(zip(self.team, row.reviews, strict=True)), level=self[prefix + "level"],
                rationale=self[prefix + "rationale"], version=self[prefix + "version"],
                preselected=self.choice_labels.get(preselected) if preselected else None,
            )

    def answers(self):
        """The answers of the criteria whose fields are valid (the others keep their errors)."""
        answers = []
        for row in self.grid_rows:
            prefix = f"c{row.criterion.pk}_"
            if any(prefix + name in self.errors for name in ("level", "rationale", "version")):
                continue
            choice = self.cleaned_data.get(prefix + "level") or ""
            answers.append(AgreedAnswer(
                criterion_id=row.criterion.pk,
                level_id=int(choice) if choice.isdigit() else None,
                not_applicable=choice == NOT_APPLICABLE,
                rationale=self.cleaned_data.get(prefix + "rationale") or "",
                base_version=self.cleaned_data.get(prefix + "version") or 0,
            ))
        return answers


class FindingForm(Form):
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


class EscalationForm(Form):
    reason = forms.CharField(
        label=_("Why the commissioners need to know now"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("They receive the concern and this reason by email, and see them on their portfolio."),
        error_messages={"required": _("Say why the commissioners need to know now.")},
    )


class ActionForm(Form):
    error_names = {"due_date": _("due date")}
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


class ActionUpdateForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, may_verify, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_verify:
            self.fields["status"].choices = [c for c in ActionStatus.choices if c[0] != ActionStatus.VERIFIED]


class FeedbackForm(Form):
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
