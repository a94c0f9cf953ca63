"""A review under way as a portfolio shows it (its stage, its dates and how far it has got), and
the dates to come of every review: the award's end, interim and follow-up reviews."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.cycles.models import CycleEvent, CycleState
from reviews.decisions.models import FollowUp, FollowUpStatus, InterimReview
from reviews.disclosure import Fact
from reviews.selfassessment.models import Perspective, SelfRating
from reviews.selfassessment.queries import RATERS
from standards.models import Criterion

# The stages a review goes through, in order, as a reader follows them (closed is after the end).
STAGES = [state for state in CycleState if state != CycleState.CLOSED]


def stage_progress(cycles, seen):
    """For reviews under way: staff criteria answered of those they answer, and when each stage
    was reached. Three queries."""
    ids = [cycle.pk for cycle in cycles]
    answered = dict(SelfRating.objects.filter(cycle__in=ids, perspective=Perspective.STAFF)
                    .filter(Q(level__isnull=False) | Q(not_applicable=True))
                    .values_list("cycle_id").annotate(n=Count("pk")).order_by())
    totals = dict(Criterion.objects.filter(edition__in={c.edition_id for c in cycles},
                                           rated_by__in=RATERS[Perspective.STAFF])
                  .values_list("edition_id").annotate(n=Count("pk")).order_by())
    reached = {}
    for cycle_id, state, at in (CycleEvent.objects.filter(cycle__in=ids).order_by("at", "pk")
                                .values_list("cycle_id", "to_state", "at")):
        reached.setdefault(cycle_id, {})[state] = timezone.localdate(at)
    return {cycle.pk: {"answered": answered.get(cycle.pk, 0), "total": totals.get(cycle.edition_id, 0),
                       "reached": reached.get(cycle.pk, {})} for cycle in cycles}


def review_under_way(cycle, context):
    """What the reader sees of a review under way: its stage, its dates and how far it has got."""
    disclosed = context["seen"][cycle.pk]
    progress = context["progress"][cycle.pk]
    visit = getattr(cycle, "visit", None)
    dates = [(_("Opened"), timezone.localdate(cycle.opened_at))]
    to_come = []  # the dates still ahead of this stage
    if cycle.self_assessment_due:
        dates.append((_("Self-assessment due"), cycle.self_assessment_due))
        if cycle.state == CycleState.OPEN:
            to_come.append(dates[-1])
    if cycle.submitted_at:
        dates.append((_("Self-assessment submitted"), timezone.localdate(cycle.submitted_at)))
    if cycle.visit_due:
        dates.append((_("Visit due by"), cycle.visit_due))
        if cycle.state in (CycleState.OPEN, CycleState.SELF_ASSESSMENT_SUBMITTED):
            to_come.append(dates[-1])
    if visit is not None and visit.date and Fact.VISIT_PLAN in disclosed:
        dates.append((_("Visit"), visit.date))
        to_come.append(dates[-1])
    now = STAGES.index(cycle.state)
    stages = [{"label": stage.label, "state": "done" if i < now else "now" if i == now else "next",
               "date": progress["reached"].get(stage.value) if i <= now else None}
              for i, stage in enumerate(STAGES)]
    stages[0]["date"] = timezone.localdate(cycle.opened_at)
    return {
        "cycle": cycle,
        "stage": cycle.get_state_display(),
        "dates": dates,
        "to_come": to_come,
        "stages": stages,
        "staff_answered": progress["answered"] if cycle.state == CycleState.OPEN else progress["total"],
        "staff_total": progress["total"],
        "responses": context["responses"].get(cycle.pk),
    }


def later_dates(cycles, seen, today):
    """{cycle id: [(what, date)]}: interim reviews and follow-up reviews still to come, for the
    readers who see them. Two queries."""
    found = {}
    for interim in InterimReview.objects.filter(cycle__in=[c.pk for c in cycles], submitted_at__isnull=True):
        if Fact.INTERIM_REVIEW in seen[interim.cycle_id]:
            found.setdefault(interim.cycle_id, []).append((_("Interim review due"), interim.due_on))
    for follow_up in FollowUp.objects.filter(cycle__in=[c.pk for c in cycles]).exclude(status=FollowUpStatus.DECIDED):
        if Fact.FOLLOW_UP in seen[follow_up.cycle_id]:
            found.setdefault(follow_up.cycle_id, []).append((_("Follow-up review due"), follow_up.due_on))
    return found


def next_dates(row, context):
    """The dates to come, soonest first: the award's end, an interim or follow-up review, and the
    dates of a review under way."""
    today = context["today"]
    dates = []
    decision = row["decision"]
    if decision is not None and decision.is_award and decision.valid_until:
        dates.append((_("Award ends") if decision.valid_until >= today else _("Award ended"), decision.valid_until))
    if row["latest"] is not None:
        dates += context["later"].get(row["latest"].pk, [])
    if row["under_way"]:
        dates += row["under_way"]["to_come"]
    upcoming = sorted((d for d in dates if d[1] >= today), key=lambda d: d[1])
    past = [d for d in dates if d[1] < today]
    return [{"label": what, "date": when, "past": when < today} for what, when in upcoming + past]
