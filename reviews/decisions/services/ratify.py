"""Recommend, then ratify: the lead reviewer recommends an outcome with reasons; network
administrators not involved in the review ratify it or return it. When enough have ratified
(settings.RATIFICATION_PANEL_SIZE), the recommendation takes effect in the same transaction: the
decision is recorded, the report becomes final, and `decision_changed` has the report issued.

The service's comments on factual accuracy stay open until the ratification: a recommendation
waits until every comment has an answer, and the administrators see any comment made after it."""


from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.roles import roles_of
from reviews.cycles.models import CycleState
from reviews.cycles.services import locked
from reviews.decisions.models import (
    Appeal,
    AppealStatus,
    FollowUp,
    FollowUpStatus,
    RatificationVote,
    Recommendation,
    RecommendationStatus,
)
from reviews.decisions.services.follow_up import decide_follow_up, open_follow_up, unmet_criterion_ids
from reviews.decisions.signals import decision_changed
from reviews.errors import ReviewError
from reviews.peer.models import AWARD_OUTCOMES, DecisionOutcome, TeamMember, TeamRole
from reviews.peer.services.outcomes import close_cycle, record_decision
from reviews.peer.ties import TieKind, tie_to


def _lead_of(cycle):
    return TeamMember.objects.filter(visit__cycle=cycle, role=TeamRole.LEAD_REVIEWER).values_list("user_id", flat=True).first()


@transaction.atomic
def recommend_outcome(cycle, *, outcome, reasons, valid_until, follow_up_due, recommended_by):
    """The lead reviewer's recommended outcome of the review, waiting for ratification."""
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.REPORT_DRAFT:
        raise ReviewError(_("The outcome is recommended while the report is a draft."))
    if _lead_of(cycle) != recommended_by.pk:
        raise ReviewError(_("Only the lead reviewer recommends the outcome."))
    if cycle.recommendations.filter(status=RecommendationStatus.PENDING).exists():
        raise ReviewError(_("A recommendation is already waiting for ratification."))
    unanswered = cycle.accuracy_comments.filter(responded_at__isnull=True).count()
    if unanswered:
        raise ReviewError(
            _("Answer the service's comments on accuracy first: %(count)d still waiting.") % {"count": unanswered}
        )
    if outcome not in DecisionOutcome.values:
        raise ReviewError(_("Choose the outcome you recommend."), field="outcome")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ReviewError(_("Give the reasons for the outcome you recommend."), field="reasons")
    valid_until = _checked_valid_until(outcome, valid_until)
    follow_up_due = _checked_follow_up_due(outcome, follow_up_due)
    if outcome == DecisionOutcome.DEFERRED and not unmet_criterion_ids(cycle):
        raise ReviewError(_("Every criterion is met or not applicable, so there is nothing to follow up: "
                            "choose another outcome."), field="outcome")
    return Recommendation.objects.create(cycle=cycle, outcome=outcome, reasons=reasons, valid_until=valid_until,
                                         follow_up_due=follow_up_due, recommended_by=recommended_by)


def _checked_valid_until(outcome, valid_until):
    if outcome not in AWARD_OUTCOMES:
        return None
    if valid_until is None:
        raise ReviewError(_("Give the date the award is valid until."), field="valid_until")
    if valid_until <= timezone.localdate():
        raise ReviewError(_("The award must be valid until a date after today."), field="valid_until")
    return valid_until


def _checked_follow_up_due(outcome, follow_up_due):
    if outcome != DecisionOutcome.DEFERRED:
        return None
    if follow_up_due is None:
        raise ReviewError(_("Give the date the follow-up review is due by."), field="follow_up_due")
    if follow_up_due <= timezone.localdate():
        raise ReviewError(_("The follow-up must be due after today."), field="follow_up_due")
    return follow_up_due


def refusal_to_vote(recommendation, user):
    """Why `user` may not ratify or return this recommendation, or None when they may."""
    cycle = recommendation.cycle
    if not roles_of(user).is_network_admin:
        return _("A network administrator ratifies the recommendation.")
    if TeamMember.objects.filter(visit__cycle=cycle, user=user).exists():
        return _("You are on this review's team, so another administrator ratifies it.")
    if recommendation.recommended_by_id == user.pk:
        return _("You recommended this outcome, so another administrator ratifies it.")
    tie = tie_to(user, cycle.service)
    if tie is not None:
        return _tie_refusal(tie)
    return None


def _tie_refusal(tie):
    names = {"service": tie.service, "organisation": tie.organisation, "home": tie.home}
    return {
        TieKind.HOME: _("You belong to %(service)s, so another administrator ratifies it."),
        TieKind.SAME_ORGANISATION: _("You belong to %(home)s in %(organisation)s, which runs %(service)s, so another "
                                     "administrator ratifies it."),
        TieKind.COMMISSIONER: _("You commission %(service)s, so another administrator ratifies it."),
        TieKind.CONFLICT: _("You have declared a conflict of interest with this service, so another administrator "
                            "ratifies it."),
        TieKind.ORGANISATION_CONFLICT: _("You have declared a conflict of interest with %(organisation)s, which runs "
                                         "%(service)s, so another administrator ratifies it."),
    }[tie.kind] % names


def _locked_pending(recommendation, by):
    """The cycle and the recommendation, both locked (the cycle first, as every action locks it),
    refusing when the recommendation is settled or `by` may not, or has already, voted."""
    locked(recommendation.cycle_id)
    recommendation = Recommendation.objects.select_for_update().select_related("cycle").get(pk=recommendation.pk)
    if recommendation.status != RecommendationStatus.PENDING:
        raise ReviewError(_("This recommendation is already %(status)s.")
                          % {"status": recommendation.get_status_display().lower()})
    refusal = refusal_to_vote(recommendation, by)
    if refusal:
        raise ReviewError(refusal)
    if recommendation.votes.filter(by=by).exists():
        raise ReviewError(_("You have already ratified this recommendation."))
    return recommendation


@transaction.atomic
def ratify(recommendation, *, by, reason=""):
    """One administrator's ratification. The last one the panel needs puts it into effect."""
    recommendation = _locked_pending(recommendation, by)
    RatificationVote.objects.create(recommendation=recommendation, by=by, ratified=True, reason=(reason or "").strip())
    if recommendation.votes.filter(ratified=True).count() < settings.RATIFICATION_PANEL_SIZE:
        return recommendation
    recommendation.status = RecommendationStatus.RATIFIED
    recommendation.settled_at = timezone.now()
    recommendation.save(update_fields=["status", "settled_at"])
    _put_into_effect(recommendation, by)
    return recommendation


@transaction.atomic
def return_recommendation(recommendation, *, by, reason):
    """Sends the recommendation back to the lead reviewer, saying why; they may recommend again."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Say why you return the recommendation, for the lead reviewer."), field="reason")
    recommendation = _locked_pending(recommendation, by)
    RatificationVote.objects.create(recommendation=recommendation, by=by, ratified=False, reason=reason)
    recommendation.status = RecommendationStatus.RETURNED
    recommendation.returned_reason = reason
    recommendation.settled_at = timezone.now()
    recommendation.save(update_fields=["status", "returned_reason", "settled_at"])
    return recommendation


def _put_into_effect(recommendation, by):
    cycle = recommendation.cycle
    if recommendation.follow_up_id is not None:
        decide_follow_up(recommendation.follow_up, recommendation=recommendation, decided_by=by)
    else:
        record_decision(cycle, outcome=recommendation.outcome, rationale=recommendation.reasons,
                        valid_until=recommendation.valid_until, recorded_by=by,
                        recommended_by=recommendation.recommended_by)
        if recommendation.outcome == DecisionOutcome.DEFERRED:
            open_follow_up(cycle, due_on=recommendation.follow_up_due, opened_by=by)
    decision_changed.send(sender=Recommendation, cycle=cycle, actor=by, reason=recommendation.reasons)


@transaction.atomic
def close_review(cycle, *, closed_by):
    """Closes the cycle after its final report, unless a follow-up or an appeal is still open."""
    cycle = locked(cycle.pk)
    if FollowUp.objects.filter(cycle=cycle).exclude(status=FollowUpStatus.DECIDED).exists():
        raise ReviewError(_("The follow-up review is still open: the cycle is closed once it is decided."))
    if Appeal.objects.filter(cycle=cycle, status=AppealStatus.LODGED).exists():
        raise ReviewError(_("The decision is under appeal: the cycle is closed once the appeal is decided."))
    return close_cycle(cycle, closed_by=closed_by)
