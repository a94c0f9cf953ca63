"""What a review leads to: findings, actions (and those carried from earlier reviews), the decision,
and feedback. Factual accuracy is in accuracy.py."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reviews.cycles.models import CycleState
from reviews.cycles.services import advance, locked
from reviews.errors import ReviewError
from reviews.peer.models import (
    Action,
    ActionNote,
    ActionStatus,
    Decision,
    Finding,
    FindingKind,
    VisitFeedback,
)
from reviews.peer.queries import decision_for
from reviews.peer.signals import urgent_concern_escalated, urgent_concern_recorded


@transaction.atomic
def add_finding(cycle, *, kind, text, criterion, added_by):
    cycle = locked(cycle.pk)
    if cycle.state not in CycleState.FINDINGS_OPEN:
        raise ReviewError(_("Findings are recorded between the visit and the final report."))
    if criterion is not None and criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    finding = Finding.objects.create(cycle=cycle, kind=kind, text=text.strip(), criterion=criterion, created_by=added_by)
    if kind == FindingKind.URGENT:
        urgent_concern_recorded.send(sender=Finding, finding=finding)
    return finding


@transaction.atomic
def acknowledge_urgent_concern(finding, *, acknowledged_by):
    if finding.kind != FindingKind.URGENT:
        raise ReviewError(_("Only urgent concerns are acknowledged."))
    if finding.acknowledged_at is None:
        finding.acknowledged_by = acknowledged_by
        finding.acknowledged_at = timezone.now()
        finding.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return finding


@transaction.atomic
def escalate_urgent_concern(finding, *, escalated_by, reason):
    """Sends an urgent concern on to the service's commissioners, with the reason: recorded, audited
    and emailed to them. Until then, commissioners never see urgent concerns."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.kind != FindingKind.URGENT:
        raise ReviewError(_("Only urgent concerns are escalated to commissioners."))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Say why the commissioners need to know now."), field="reason")
    if finding.is_escalated:
        raise ReviewError(_("This urgent concern has already been escalated to the commissioners."))
    finding.escalated_by = escalated_by
    finding.escalated_at = timezone.now()
    finding.escalation_reason = reason
    finding.save(update_fields=["escalated_by", "escalated_at", "escalation_reason"])
    urgent_concern_escalated.send(sender=Finding, finding=finding)
    return finding


def action_plan_closes_on(cycle):
    """The last day on which the service may add to the action plan after the final report, or
    None: no decision yet, or the cycle is not final (closed, or still before the report)."""
    if cycle.state != CycleState.FINAL:
        return None
    decision = Decision.objects.filter(cycle_id=cycle.pk).only("recorded_at").first()
    if decision is None:
        return None
    recorded = timezone.localdate(decision.recorded_at)
    return recorded + datetime.timedelta(days=settings.ACTION_PLAN_WINDOW_DAYS)


def action_plan_is_open(cycle, today=None):
    """Whether actions may be added after the final report, today."""
    closes = action_plan_closes_on(cycle)
    return closes is not None and (today or timezone.localdate()) <= closes


def _refuse_action(cycle):
    closes = action_plan_closes_on(cycle)
    if closes is not None:
        raise ReviewError(_("The action plan could be added to until %(date)s; that window has closed.")
                          % {"date": date_format(closes, "j F Y")})
    if cycle.state == CycleState.CLOSED:
        raise ReviewError(_("This review is closed: add actions in the service's next review."))
    raise ReviewError(_("Actions are added between the visit and the final report, and for %(days)d days after it.")
                      % {"days": settings.ACTION_PLAN_WINDOW_DAYS})


@transaction.atomic
def add_action(cycle, *, description, owner, due_date, finding=None, criterion=None, added_by):
    """The lead reviewer adds actions from the visit to the final report; after the final report
    the service (and the lead reviewer) write the action plan for ACTION_PLAN_WINDOW_DAYS days."""
    cycle = locked(cycle.pk)
    if cycle.state not in CycleState.FINDINGS_OPEN and not action_plan_is_open(cycle):
        _refuse_action(cycle)
    if finding is not None and finding.cycle_id != cycle.pk:
        raise ReviewError(_("That finding belongs to another review."))
    if criterion is not None and criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    _refuse_repeated_action(cycle, description)
    return Action.objects.create(
        cycle=cycle,
        description=description.strip(),
        owner=owner.strip(),
        due_date=due_date,
        finding=finding,
        criterion=criterion,
        created_by=added_by,
    )


def same_words(text):
    """An action's words as one plan compares them: case and spacing aside."""
    return " ".join(text.lower().split())


def _refuse_repeated_action(cycle, description):
    """The same action twice in one plan (often one carried over from the last review, written
    again) would be listed, followed up and counted twice: progress is recorded on the one there."""
    words = same_words(description)
    for action in cycle.actions.only("description", "carried_from"):
        if same_words(action.description) == words:
            message = (_("This action is already in the plan, carried over from the last review: record progress on it there.")
                       if action.carried_from_id else
                       _("This action is already in the plan: record progress on it there."))
            raise ReviewError(message, field="description")


@transaction.atomic
def update_action(action, *, status, note, updated_by, may_verify):
    """The service records progress; only the review team or an administrator verifies."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.carried_to.exists():
        raise ReviewError(_("This action carried into the service's next review: record progress there."))
    if status == ActionStatus.VERIFIED and not may_verify:
        raise ReviewError(_("The lead reviewer or a network administrator verifies that an action is done."),
                          field="status")
    if action.status == ActionStatus.VERIFIED and not may_verify:
        raise ReviewError(_("This action is verified, so it is closed."))
    note = (note or "").strip()
    if status == action.status and not note:
        raise ReviewError(_("Write a progress note or choose a new status."), field="note")
    ActionNote.objects.create(action=action, text=note, from_status=action.status, to_status=status, by=updated_by)
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return action


@transaction.atomic
def send_draft_report(cycle, *, sent_by):
    return advance(locked(cycle.pk), from_state=CycleState.RATINGS_AGREED, to_state=CycleState.REPORT_DRAFT,
                    actor=sent_by, refusal=_("The draft report goes to the service once the ratings are agreed."))


@transaction.atomic
def record_decision(cycle, *, outcome, rationale, valid_until, recorded_by, recommended_by=None):
    """Records the network's decision and makes the report final: `recorded_by` is the administrator
    who ratified the outcome `recommended_by` (the lead reviewer) recommended (reviews/decisions)."""
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.REPORT_DRAFT:
        raise ReviewError(_("The decision is recorded once the draft report has gone to the service."))
    unanswered = cycle.accuracy_comments.filter(responded_at__isnull=True).count()
    if unanswered:
        raise ReviewError(
            _("The lead reviewer has not yet answered %(count)d of the service's comments on accuracy.")
            % {"count": unanswered}
        )
    rationale = (rationale or "").strip()
    if not rationale:
        raise ReviewError(_("Give the rationale for the decision."), field="rationale")
    computed = decision_for(cycle)
    decision = Decision.objects.create(
        cycle=cycle,
        outcome=outcome,
        rationale=rationale,
        valid_until=valid_until,
        recommended=computed.recommended,
        percent_met=computed.overall.percent_met,
        recorded_by=recorded_by,
        recommended_by=recommended_by,
    )
    advance(cycle, from_state=CycleState.REPORT_DRAFT, to_state=CycleState.FINAL, actor=recorded_by,
             refusal="", reason=rationale)
    return decision


@transaction.atomic
def close_cycle(cycle, *, closed_by):
    return advance(locked(cycle.pk), from_state=CycleState.FINAL, to_state=CycleState.CLOSED, actor=closed_by,
                    refusal=_("A cycle is closed after its final report."))


@transaction.atomic
def give_feedback(cycle, *, given_by, visit_rating, team_rating, went_well, could_improve):
    cycle = locked(cycle.pk)
    if cycle.state not in CycleState.SETTLED:
        raise ReviewError(_("Feedback on the visit is given once the ratings are agreed."))
    feedback, _created = VisitFeedback.objects.update_or_create(
        cycle=cycle,
        given_by=given_by,
        defaults={
            "visit_rating": visit_rating,
            "team_rating": team_rating,
            "went_well": went_well.strip(),
            "could_improve": could_improve.strip(),
        },
    )
    return feedback


def carry_open_actions(cycle):
    """Actions not yet done in the service's earlier cycles carry into this one, linked back."""
    earlier = (
        Action.objects.filter(cycle__service=cycle.service)
        .still_open()
        .exclude(cycle=cycle)
        .filter(carried_to__isnull=True)
    )
    for action in earlier:
        Action.objects.create(
            cycle=cycle,
            description=action.description,
            criterion=_same_criterion_in(cycle.edition, action.criterion),
            owner=action.owner,
            due_date=action.due_date,
            status=action.status,
            carried_from=action,
            created_by=action.created_by,
        )


def carry_open_actions_on_opening(sender, cycle, **kwargs):
    """Receives `cycle_opened` (connected in ReviewsConfig.ready)."""
    carry_open_actions(cycle)


def _same_criterion_in(edition, criterion):
    if criterion is None:
        return None
    return edition.criteria.filter(code=criterion.code).first()
