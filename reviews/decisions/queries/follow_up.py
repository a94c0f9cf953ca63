"""Read models of the follow-up review after a deferral: a cycle's follow-ups with their criteria,
answers, evidence and new ratings, and what each decided follow-up changed, for the report."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from reviews.decisions.models import FollowUp, FollowUpAnswer, FollowUpRating, RecommendationStatus
from reviews.peer.models import AgreedRating, ChangeSource, DecisionOutcome, RatingChange
from standards.models import Criterion


@dataclass
class FollowUpRow:
    """One criterion of a follow-up: its agreed rating, the service's answer, the new rating."""

    criterion: object
    agreed: object = None
    answer: object = None
    rating: object = None


@dataclass
class FollowUpView:
    follow_up: object
    rows: list = field(default_factory=list)
    pending_recommendation: object = None

    @property
    def answered(self):
        return sum(1 for row in self.rows if row.answer is not None and row.answer.narrative)

    @property
    def rated(self):
        return sum(1 for row in self.rows if row.rating is not None)

    @property
    def complete(self):
        return self.answered == len(self.rows)

    @property
    def all_rated(self):
        return self.rated == len(self.rows)


def _follow_ups(cycle):
    return (
        FollowUp.objects.filter(cycle=cycle)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("criteria", to_attr="criteria_list",
                     queryset=Criterion.objects.select_related("value").order_by("value__order", "order")),
            Prefetch("answers", queryset=FollowUpAnswer.objects.prefetch_related("evidence")),
            Prefetch("ratings", queryset=FollowUpRating.objects.select_related("level", "rated_by")),
            "recommendations",
        )
    )


def follow_ups_of(cycle):
    """The cycle's follow-ups, latest first, each with a row per criterion (in six queries)."""
    follow_ups = list(_follow_ups(cycle).order_by("-opened_at", "-pk"))
    if not follow_ups:
        return []
    agreed = {a.criterion_id: a for a in AgreedRating.objects.filter(cycle=cycle).select_related("level")}
    return [_view(follow_up, agreed) for follow_up in follow_ups]


def _view(follow_up, agreed):
    answers = {a.criterion_id: a for a in follow_up.answers.all()}
    ratings = {r.criterion_id: r for r in follow_up.ratings.all()}
    pending = next((r for r in follow_up.recommendations.all() if r.status == RecommendationStatus.PENDING), None)
    rows = [
        FollowUpRow(criterion=c, agreed=agreed.get(c.pk), answer=answers.get(c.pk), rating=ratings.get(c.pk))
        for c in follow_up.criteria_list
    ]
    return FollowUpView(follow_up=follow_up, rows=rows, pending_recommendation=pending)


def current_follow_up(cycle):
    """The follow-up not yet decided, or None."""
    return FollowUp.objects.filter(cycle=cycle).exclude(status="decided").first()


# --- for the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionChange:
    code: str
    statement: str
    from_label: str
    to_label: str
    reason: str


@dataclass(frozen=True)
class FollowUpOutcome:
    """What one decided follow-up changed: the outcome before and after, and each rating."""

    due_on: object
    decided_on: object
    earlier_outcome: str
    earlier_outcome_label: str
    new_outcome: str
    new_outcome_label: str
    changes: tuple


def follow_up_history(cycle):
    """Each decided follow-up of the cycle, oldest first, as FollowUpOutcome (three queries)."""
    decided = list(
        FollowUp.objects.filter(cycle=cycle, decided_at__isnull=False)
        .prefetch_related("recommendations").order_by("decided_at", "pk")
    )
    if not decided:
        return []
    changes = list(
        RatingChange.objects.filter(cycle=cycle, source=ChangeSource.FOLLOW_UP)
        .select_related("criterion", "from_level", "to_level").order_by("at", "pk")
    )
    history, since = [], None
    for follow_up in decided:
        ratified = [r for r in follow_up.recommendations.all() if r.status == RecommendationStatus.RATIFIED]
        outcome = ratified[-1].outcome if ratified else ""
        mine = [c for c in changes if (since is None or c.at > since) and c.at <= follow_up.decided_at]
        since = follow_up.decided_at
        history.append(FollowUpOutcome(
            due_on=follow_up.due_on,
            decided_on=timezone.localdate(follow_up.decided_at),
            earlier_outcome=follow_up.earlier_outcome,
            earlier_outcome_label=str(DecisionOutcome(follow_up.earlier_outcome).label),
            new_outcome=outcome,
            new_outcome_label=str(DecisionOutcome(outcome).label) if outcome else "",
            changes=tuple(
                CriterionChange(code=c.criterion.code, statement=c.criterion.statement,
                                from_label=str(c.from_label), to_label=str(c.to_label), reason=c.reason)
                for c in mine
            ),
        ))
    return history
