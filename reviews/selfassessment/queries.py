"""Read models of the self-assessment: the criteria each perspective answers, the evidence it
sees, and its answer sheet with progress and warnings. Every function here runs a fixed number
of queries, whatever the number of criteria or answers."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from reviews.selfassessment.models import Evidence, Perspective, SelfRating
from standards.models import Criterion, RatedBy

RATERS = {
    Perspective.STAFF: (RatedBy.STAFF, RatedBy.BOTH),
    Perspective.MEMBERS: (RatedBy.MEMBERS, RatedBy.BOTH),
}


def criteria_for(edition, perspective):
    return (
        Criterion.objects.filter(edition=edition, rated_by__in=RATERS[perspective])
        .select_related("value")
        .order_by("value__order", "order")
    )


def evidence_visible_in(cycle, perspective):
    """Members see the evidence members added; staff and reviewers see it all."""
    evidence = Evidence.objects.filter(cycle=cycle).select_related("added_by")
    if perspective == Perspective.MEMBERS:
        evidence = evidence.filter(added_as=Perspective.MEMBERS)
    return evidence


def stored_answers(cycle, perspective, criteria):
    """{criterion id: the perspective's saved answer}, with who saved it and, as `evidence_ids`,
    the ids of its evidence (read from the link table: Django's prefetch of a many-to-many
    relation costs about a millisecond even when there is no evidence at all)."""
    answers = SelfRating.objects.filter(cycle=cycle, perspective=perspective, criterion__in=criteria)
    ratings = {rating.criterion_id: rating for rating in answers.select_related("updated_by", "level").order_by()}
    evidence_ids = {rating.pk: [] for rating in ratings.values()}
    links = SelfRating.evidence.through.objects.filter(selfrating_id__in=evidence_ids)
    for rating_id, evidence_id in links.values_list("selfrating_id", "evidence_id") if evidence_ids else ():
        evidence_ids[rating_id].append(evidence_id)
    for rating in ratings.values():
        rating.evidence_ids = evidence_ids[rating.pk]
    return ratings


def evidence_with_criteria(cycle, perspective):
    """The evidence the perspective sees, each with the answers it supports, by criterion code."""
    answers = SelfRating.objects.select_related("criterion").order_by("criterion__code")
    return evidence_visible_in(cycle, perspective).prefetch_related(Prefetch("self_ratings", queryset=answers))


@dataclass
class ValueProgress:
    value: object
    criteria: list
    ratings: dict

    @property
    def answered(self):
        return sum(1 for c in self.criteria if self.ratings.get(c.pk) and self.ratings[c.pk].is_answered)

    @property
    def total(self):
        return len(self.criteria)

    @property
    def status(self):
        if self.answered == 0:
            return "not_started"
        return "completed" if self.answered == self.total else "in_progress"

    @property
    def status_label(self):
        return {"not_started": _("Not started"), "in_progress": _("In progress"), "completed": _("Completed")}[
            self.status
        ]

    @property
    def last_saved(self):
        saved = [self.ratings[c.pk] for c in self.criteria if c.pk in self.ratings]
        return max(saved, key=lambda r: r.updated_at, default=None)


@dataclass
class Warning:
    criterion: object
    kind: str  # "unanswered", "no_reason" or "no_evidence"
    message: str
    blocking: bool


WARNING_GROUPS = {
    "unanswered": _("Not answered yet"),
    "no_reason": _("Not applicable, but no reason given"),
    "no_evidence": _("Rated at the top level with no evidence attached"),
}


@dataclass
class AnswerSheet:
    """One perspective's answers for a whole cycle, grouped by value, with what needs attention."""

    cycle: object
    perspective: str
    values: list = field(default_factory=list)  # ValueProgress, in order
    ratings: dict = field(default_factory=dict)  # criterion id → SelfRating

    @property
    def answered(self):
        return sum(v.answered for v in self.values)

    @property
    def total(self):
        return sum(v.total for v in self.values)

    @property
    def completed_values(self):
        return sum(1 for v in self.values if v.status == "completed")

    def rows(self):
        for progress in self.values:
            for criterion in progress.criteria:
                yield criterion, progress.ratings.get(criterion.pk)

    def warnings(self):
        found = []
        for criterion, rating in self.rows():
            if rating is None or not rating.is_answered:
                found.append(Warning(criterion, "unanswered", _("Not answered yet."), blocking=True))
            elif rating.not_applicable and not rating.not_applicable_reason.strip():
                found.append(
                    Warning(criterion, "no_reason", _("Not applicable, but no reason is given."), blocking=True)
                )
            elif rating.level_id and rating.level.value == self.top_level_value and not rating.evidence.all():
                message = _("Rated %(level)s with no evidence attached.") % {"level": rating.level.label}
                found.append(Warning(criterion, "no_evidence", message, blocking=False))
        return found

    def blocking_problems(self):
        return [w for w in self.warnings() if w.blocking]

    def warning_groups(self, warnings=None):
        """Warnings grouped by kind, most serious first: [(label, blocking, [warning, ...])]."""
        warnings = self.warnings() if warnings is None else warnings
        groups = []
        for kind, label in WARNING_GROUPS.items():
            members = [w for w in warnings if w.kind == kind]
            if members:
                groups.append((label, members[0].blocking, members))
        return groups

    def warnings_by_criterion(self):
        return {warning.criterion.pk: warning for warning in self.warnings()}

    top_level_value: int = 0


def answer_sheet(cycle, perspective):
    ratings = (
        SelfRating.objects.filter(cycle=cycle, perspective=perspective)
        .select_related("level", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("title")))
    )
    return _sheet(cycle, perspective, criteria_for(cycle.edition, perspective), ratings)


def answer_progress(cycle, perspective, criteria):
    """The answer sheet as far as progress goes (which criteria are answered, by value), for the
    wizard's own pages: without the answers' levels, authors and evidence, which only the checks
    and the task list read."""
    ratings = SelfRating.objects.filter(cycle=cycle, perspective=perspective).only(
        "criterion_id", "level_id", "not_applicable", "updated_at")
    return _sheet(cycle, perspective, criteria, ratings)


def _sheet(cycle, perspective, criteria, ratings):
    ratings = {rating.criterion_id: rating for rating in ratings}
    sheet = AnswerSheet(cycle, perspective, ratings=ratings, top_level_value=cycle.edition.top_level)
    by_value = {}
    for criterion in criteria:
        by_value.setdefault(criterion.value_id, (criterion.value, []))[1].append(criterion)
    for value, value_criteria in by_value.values():
        sheet.values.append(ValueProgress(value, value_criteria, ratings))
    return sheet
