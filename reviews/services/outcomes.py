"""What a review leads to: findings, actions, factual accuracy, the decision, and feedback."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import (
    AccuracyComment,
    Action,
    ActionNote,
    ActionStatus,
    CycleState,
    Decision,
    Finding,
    FindingKind,
    VisitFeedback,
)
from reviews.services.cycles import ReviewError, locked, move

FINDINGS_OPEN = (CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT)
FEEDBACK_OPEN = (CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT, CycleState.FINAL, CycleState.CLOSED)


@transaction.atomic
def add_finding(cycle, *, kind, text, criterion, added_by):
    cycle = locked(cycle.pk)
    if cycle.state not in FINDINGS_OPEN:
        raise ReviewError(_("Findings are recorded between the visit and the final report."))
    if criterion is not None and criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    finding = Finding.objects.create(cycle=cycle, kind=kind, text=text.strip(), criterion=criterion, created_by=added_by)
    if kind == FindingKind.URGENT:
        from reviews.tasks import notify_urgent_concern  # noqa: PLC0415 - tasks import services

        transaction.on_commit(lambda: notify_urgent_concern.enqueue(finding.pk))
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
def add_action(cycle, *, description, owner, due_date, finding=None, criterion=None, added_by):
    cycle = locked(cycle.pk)
    if cycle.state not in FINDINGS_OPEN:
        raise ReviewError(_("Actions are agreed between the visit and the final report."))
    if finding is not None and finding.cycle_id != cycle.pk:
        raise ReviewError(_("That finding belongs to another review."))
    if criterion is not None and criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    return Action.objects.create(
        cycle=cycle,
        description=description.strip(),
        owner=owner.strip(),
        due_date=due_date,
        finding=finding,
        criterion=criterion,
        created_by=added_by,
    )


@transaction.atomic
def update_action(action, *, status, note, updated_by, may_verify):
    """The service records progress; only the review team or an administrator verifies."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.carried_to.exists():
        raise ReviewError(_("This action carried into the service's next review: record progress there."))
    if status == ActionStatus.VERIFIED and not may_verify:
        raise ReviewError(_("The lead reviewer or a network administrator verifies that an action is done."))
    if action.status == ActionStatus.VERIFIED and not may_verify:
        raise ReviewError(_("This action is verified, so it is closed."))
    note = (note or "").strip()
    if status == action.status and not note:
        raise ReviewError(_("Write a progress note or choose a new status."))
    ActionNote.objects.create(action=action, text=note, from_status=action.status, to_status=status, by=updated_by)
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return action


def _advance(cycle, *, from_state, to_state, actor, refusal, reason=""):
    """Moves a locked cycle one stage on, recording the step, or refuses with a reason."""
    if cycle.state != from_state:
        raise ReviewError(refusal)
    move(cycle, to_state, actor, reason)
    cycle.save(update_fields=["state"])
    return cycle


@transaction.atomic
def send_draft_report(cycle, *, sent_by):
    return _advance(locked(cycle.pk), from_state=CycleState.RATINGS_AGREED, to_state=CycleState.REPORT_DRAFT,
                    actor=sent_by, refusal=_("The draft report goes to the service once the ratings are agreed."))


@transaction.atomic
def comment_on_accuracy(cycle, *, text, criterion=None, finding=None, by):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.REPORT_DRAFT:
        raise ReviewError(_("Comments on factual accuracy are made while the report is a draft."))
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Write what is not accurate, and what is."))
    if (criterion is None) == (finding is None):
        raise ReviewError(_("Choose the agreed rating or the finding the comment is about."))
    if criterion is not None and criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    if finding is not None and finding.cycle_id != cycle.pk:
        raise ReviewError(_("That finding belongs to another review."))
    return AccuracyComment.objects.create(cycle=cycle, text=text, criterion=criterion, finding=finding, by=by)


@transaction.atomic
def answer_accuracy_comment(comment, *, response, by):
    comment = AccuracyComment.objects.select_for_update().select_related("cycle").get(pk=comment.pk)
    if comment.cycle.state != CycleState.REPORT_DRAFT:
        raise ReviewError(_("Comments are answered while the report is a draft."))
    response = (response or "").strip()
    if not response:
        raise ReviewError(_("Write an answer to the comment."))
    comment.response = response
    comment.responded_by = by
    comment.responded_at = timezone.now()
    comment.save(update_fields=["response", "responded_by", "responded_at"])
    return comment


@transaction.atomic
def record_decision(cycle, *, outcome, rationale, valid_until, recorded_by):
    """Records the network's decision and makes the report final."""
    from reviews.queries import decision_for  # noqa: PLC0415 - queries import this module's models only

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
        raise ReviewError(_("Give the rationale for the decision."))
    computed = decision_for(cycle)
    decision = Decision.objects.create(
        cycle=cycle,
        outcome=outcome,
        rationale=rationale,
        valid_until=valid_until,
        recommended=computed.recommended,
        percent_met=computed.overall.percent_met,
        recorded_by=recorded_by,
    )
    _advance(cycle, from_state=CycleState.REPORT_DRAFT, to_state=CycleState.FINAL, actor=recorded_by,
             refusal="", reason=rationale)
    return decision


@transaction.atomic
def close_cycle(cycle, *, closed_by):
    return _advance(locked(cycle.pk), from_state=CycleState.FINAL, to_state=CycleState.CLOSED, actor=closed_by,
                    refusal=_("A cycle is closed after its final report."))


@transaction.atomic
def give_feedback(cycle, *, given_by, visit_rating, team_rating, went_well, could_improve):
    cycle = locked(cycle.pk)
    if cycle.state not in FEEDBACK_OPEN:
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
