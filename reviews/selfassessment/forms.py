"""Forms of the self-assessment: a value's answers, checking and submitting, reopening, and
adding evidence (files judged by their content, links)."""

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form, name_for_row
from reviews.cycles.forms import DateInput
from reviews.selfassessment.services import Answer
from reviews.selfassessment.uploads import ALLOWED_DESCRIPTION, ALLOWED_TYPES, archive_problem, detect_type

NOT_APPLICABLE = "na"
CRITERION_FIELD = re.compile(r"^c(\d+)_")


class ReopenForm(Form):
    error_names = {"reason": _("reason for reopening")}
    reason = forms.CharField(
        label=_("Why is the self-assessment being reopened?"),
        help_text=_("The service and the review team will see this reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give a reason for reopening the self-assessment.")},
    )


# --- answering a value's criteria -------------------------------------------------------------


@dataclass
class CriterionRow:
    """What the template needs for one criterion: the criterion, its fields, the stored answer
    and, when someone else saved it meanwhile, that conflict."""

    criterion: object
    level: object
    not_applicable_reason: object
    narrative: object
    evidence: object
    version: object
    rating: object = None
    conflict: object = None
    resolution: object = None
    theirs: object = None


class ValueAnswersForm(Form):
    """The answers of one perspective for the criteria of one value. Every field is optional:
    drafts may be incomplete, and completeness is checked when the self-assessment is submitted.
    But Not applicable is a claim that needs its reason when the person saves the page (as an
    abstention does in the peer review); only the autosave, while they are still typing, may keep
    it without one."""

    RESOLUTION_CHOICES = [("theirs", _("Keep their answer")), ("mine", _("Save my answer instead"))]

    def __init__(self, *args, criteria, levels, evidence, ratings, perspective, conflicts=None, draft=False, **kwargs):
        self.criteria = criteria
        self.draft = draft  # an autosave: a Not applicable may wait for its reason
        self.ratings = ratings
        self.perspective = perspective
        self.conflicts = conflicts or {}
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        # Highest level first.
        level_choices = [(str(level.pk), level.label) for level in reversed(levels)]
        level_choices.append((NOT_APPLICABLE, _("Not applicable")))
        evidence_choices = [(str(item.pk), item.title) for item in evidence]
        for criterion in criteria:
            prefix = f"c{criterion.pk}_"
            self.fields[prefix + "level"] = forms.ChoiceField(
                label=_("Rating"),
                choices=level_choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the answers shown.")},
            )
            self.fields[prefix + "na_reason"] = forms.CharField(
                label=_("Why it does not apply"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[prefix + "narrative"] = forms.CharField(
                label=_("What shows it"),
                help_text=_("Describe what happens in practice and what would show a visitor that it does."),
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[prefix + "evidence"] = forms.MultipleChoiceField(
                label=_("Evidence that supports it"),
                choices=evidence_choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("That evidence item is not part of this self-assessment.")},
            )
            for name in ("level", "na_reason", "narrative", "evidence"):
                name_for_row(self.fields[prefix + name], criterion.code)
            self.fields[prefix + "version"] = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
            # The choice, and the version of their answer it was made against, come back with the
            # next save, when that request knows of no conflict. Without a choice, the version
            # stays the one the person started from, so saving again shows the conflict again.
            if criterion.pk in self.conflicts or self.add_prefix(prefix + "theirs") in self.data:
                self.fields[prefix + "theirs"] = forms.IntegerField(
                    required=False, min_value=0, widget=forms.HiddenInput
                )
                self.fields[prefix + "resolution"] = forms.ChoiceField(
                    label=_("Which answer should be kept?"),
                    choices=self.RESOLUTION_CHOICES,
                    required=criterion.pk in self.conflicts,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose whether to keep their answer or save yours.")},
                )
                name_for_row(self.fields[prefix + "resolution"], criterion.code)

    def _initial(self):
        initial = {}
        for criterion in self.criteria:
            rating = self.ratings.get(criterion.pk)
            prefix = f"c{criterion.pk}_"
            initial[prefix + "version"] = rating.version if rating else 0
            if rating is None:
                continue
            initial[prefix + "level"] = NOT_APPLICABLE if rating.not_applicable else str(rating.level_id or "")
            initial[prefix + "na_reason"] = rating.not_applicable_reason
            initial[prefix + "narrative"] = rating.narrative
            initial[prefix + "evidence"] = [str(pk) for pk in rating.evidence_ids]
        return initial

    def clean(self):
        cleaned = super().clean()
        if self.data:
            known = {str(c.pk) for c in self.criteria}
            keys = (key.removeprefix(f"{self.prefix}-") if self.prefix else key for key in self.data)
            strangers = sorted({m.group(1) for key in keys if (m := CRITERION_FIELD.match(key))} - known)
            if strangers:
                raise forms.ValidationError(
                    _("The answers sent include a criterion that is not part of this page. Nothing was saved."),
                    code="unknown_criterion",
                )
        if not self.draft:
            self._refuse_not_applicable_without_reason(cleaned)
        return cleaned

    def _refuse_not_applicable_without_reason(self, cleaned):
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            if cleaned.get(prefix + "resolution") == "theirs" or cleaned.get(prefix + "level") != NOT_APPLICABLE:
                continue
            if not (cleaned.get(prefix + "na_reason") or "").strip():
                self.add_error(prefix + "na_reason", _("%(code)s: say why this criterion does not apply to your service.")
                               % {"code": criterion.code})

    def rows(self):
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            yield CriterionRow(
                criterion=criterion,
                level=self[prefix + "level"],
                not_applicable_reason=self[prefix + "na_reason"],
                narrative=self[prefix + "narrative"],
                evidence=self[prefix + "evidence"],
                version=self[prefix + "version"],
                rating=self.ratings.get(criterion.pk),
                conflict=self.conflicts.get(criterion.pk),
                resolution=self[prefix + "resolution"] if prefix + "resolution" in self.fields else None,
                theirs=self[prefix + "theirs"] if prefix + "theirs" in self.fields else None,
            )

    def answers(self):
        """The cleaned answers, leaving out those where the person chose to keep someone else's."""
        answers = []
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}_"
            resolution = self.cleaned_data.get(prefix + "resolution")
            if resolution == "theirs":
                continue
            base_version = self.cleaned_data.get(prefix + "version") or 0
            if resolution == "mine":
                # Replaces the answer they were shown (or what this page has saved since), no newer one.
                base_version = max(base_version, self.cleaned_data.get(prefix + "theirs") or 0)
            level = self.cleaned_data.get(prefix + "level") or ""
            answers.append(
                Answer(
                    criterion_id=criterion.pk,
                    level_id=int(level) if level and level != NOT_APPLICABLE else None,
                    not_applicable=level == NOT_APPLICABLE,
                    # Kept only with Not applicable, as stored: a stray reason is no change.
                    not_applicable_reason=(
                        (self.cleaned_data.get(prefix + "na_reason") or "").strip() if level == NOT_APPLICABLE else ""
                    ),
                    narrative=(self.cleaned_data.get(prefix + "narrative") or "").strip(),
                    evidence_ids=frozenset(int(pk) for pk in self.cleaned_data.get(prefix + "evidence") or []),
                    base_version=base_version,
                )
            )
        return answers


class CheckAnswersForm(Form):
    error_names = {"confirm": _("confirm")}
    """The last step. Only a service lead submits; everyone else just finishes for now."""

    confirm = forms.BooleanField(
        label=_("I confirm that these answers are ready for the peer-review team"),
        required=False,
    )

    def __init__(self, *args, may_submit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_submit = may_submit
        if not may_submit:
            del self.fields["confirm"]


# --- evidence ---------------------------------------------------------------------------------

class EvidenceFileForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example: Community meeting minutes, March"))
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("What it shows (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(label=_("Date of the evidence (optional)"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.EVIDENCE_MAX_BYTES
        self.fields["file"].help_text = _("%(types)s, up to %(size)s.") % {
            "types": ALLOWED_DESCRIPTION,
            "size": filesizeformat(limit),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.EVIDENCE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the most you can upload is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        detected = detect_type(upload)
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if detected is None:
            raise forms.ValidationError(_("This kind of file cannot be uploaded. Upload %(types)s.") % {"types": ALLOWED_DESCRIPTION})
        if extension not in ALLOWED_TYPES[detected]:
            raise forms.ValidationError(
                _("The file's name ends in .%(extension)s, but its content is not that kind of file. Check it is the right file.")
                % {"extension": extension or "?"}
            )
        problem = archive_problem(upload, detected)
        if problem:
            raise forms.ValidationError(problem)
        upload.detected_type = detected
        return upload


class WebAddressField(forms.URLField):
    """Only http and https: no javascript:, data: or ftp: links in evidence."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class EvidenceLinkForm(Form):
    error_names = {"url": _("web address")}
    title = forms.CharField(label=_("Title"), max_length=200)
    url = WebAddressField(
        label=_("Link"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("A web address starting with https:// or http://"),
        error_messages={"invalid": _("Enter a web address starting with https:// or http://")},
    )
    description = forms.CharField(label=_("What it shows (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(label=_("Date of the evidence (optional)"), required=False, widget=DateInput)
