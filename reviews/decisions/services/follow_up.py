"""The follow-up review after a deferral: the criteria not met, the service's new answers and
evidence, the lead reviewer's new ratings and recommendation, and the decision once ratified."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.cycles.services import locked
from reviews.decisions.dates import award_valid_until, follow_up_due_by
from reviews.decisions.models import (
    FollowUp,
    FollowUpAnswer,
    FollowUpRating,
    FollowUpStatus,
    Recommendation,
    RecommendationStatus,
)
from reviews.errors import ReviewError
from reviews.peer.models import AWARD_OUTCOMES, AgreedRating, ChangeSource, Decision, DecisionOutcome
from reviews.peer.queries import decision_for
from reviews.peer.services import record_rating_change
from reviews.selfassessment.models import Evidence
from reviews.selfassessment.services import add_file_evidence, add_link_evidence


def unmet_criterion_ids(cycle):
    """The criteria whose agreed rating is below the edition's top level (Not applicable is not unmet)."""
    return list(
        AgreedRating.objects.filter(cycle=cycle, not_applicable=False)
        .exclude(level_id__in=cycle.edition.met_level_ids)
        .values_list("criterion_id", flat=True)
    )


@transaction.atomic
def open_follow_up(cycle, *, due_on, opened_by):
    """Opens a follow-up of the criteria not met, due by `due_on`. `opened_by` is the actor the
    audit log records (the request's user); the follow-up keeps no opener of its own."""
    cycle = locked(cycle.pk)
    if FollowUp.objects.filter(cycle=cycle).exclude(status=FollowUpStatus.DECIDED).exists():
        raise ReviewError(_("A follow-up of this review is already open."))
    if due_on is None:
        raise ReviewError(_("Give the date the follow-up is due by."), field="due_on")
    if due_on < timezone.localdate():
        raise ReviewError(_("The follow-up's due date is in the past. Give a date from today."), field="due_on")
    unmet = unmet_criterion_ids(cycle)
    if not unmet:
        raise ReviewError(_("Every criterion is met or not applicable, so there is nothing to follow up."))
    decision = Decision.objects.filter(cycle=cycle).first()
    follow_up = FollowUp.objects.create(
        cycle=cycle, due_on=due_on, earlier_outcome=decision.outcome if decision else DecisionOutcome.DEFERRED,
    )
    follow_up.criteria.set(unmet)
    return follow_up


def _locked_follow_up(follow_up):
    locked(follow_up.cycle_id)
    return FollowUp.objects.select_related("cycle__edition", "cycle__service").get(pk=follow_up.pk)


def _require_criterion(follow_up, criterion):
    if not follow_up.criteria.filter(pk=criterion.pk).exists():
        raise ReviewError(_("This criterion is not part of the follow-up."))


def _require_version(record, base_version):
    if base_version is not None and record.version != base_version:
        raise ReviewError(
            _("Someone else saved this while you were editing it. Their version is shown; add your changes to it.")
        )


# --- the service's answers ----------------------------------------------------------------------


@transaction.atomic
def save_follow_up_answer(follow_up, criterion, *, narrative, evidence_ids, base_version, saved_by):
    """Saves what has changed for one criterion and the evidence that shows it, unless someone
    saved it since `base_version` (0 for a new answer)."""
    follow_up = _locked_follow_up(follow_up)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ReviewError(_("The follow-up has been sent to the lead reviewer, so its answers can no longer change."))
    _require_criterion(follow_up, criterion)
    answer, _created = FollowUpAnswer.objects.get_or_create(follow_up=follow_up, criterion=criterion)
    _require_version(answer, base_version)
    narrative = (narrative or "").strip()
    if not narrative:
        raise ReviewError(_("Say what has changed and what shows it."), field="narrative")
    evidence_ids = set(evidence_ids or ())
    known = set(Evidence.objects.filter(cycle=follow_up.cycle, pk__in=evidence_ids).values_list("pk", flat=True))
    if known != evidence_ids:
        raise ReviewError(_("Choose evidence of this review only."), field="evidence")
    answer.narrative = narrative
    answer.version += 1
    answer.updated_by = saved_by
    answer.save()
    answer.evidence.set(evidence_ids)
    return answer


@transaction.atomic
def add_follow_up_evidence(follow_up, *, kind, added_by, added_as, **data):
    """Adds a file or link (validated by the self-assessment's evidence forms) while the
    follow-up is open, through the self-assessment's own evidence service."""
    follow_up = _locked_follow_up(follow_up)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ReviewError(_("The follow-up has been sent to the lead reviewer, so evidence can no longer be added."))
    add = add_file_evidence if kind == "file" else add_link_evidence
    return add(cycle=follow_up.cycle, added_by=added_by, added_as=added_as, require_open=False, **data)


@transaction.atomic
def submit_follow_up(follow_up, *, submitted_by):
    """Sends the follow-up to the lead reviewer once every criterion has an answer."""
    follow_up = _locked_follow_up(follow_up)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ReviewError(_("The follow-up has already been sent to the lead reviewer."))
    answered = follow_up.answers.exclude(narrative="").count()
    missing = follow_up.criteria.count() - answered
    if missing:
        raise ReviewError(
            ngettext(
                "%(count)d criterion has no answer yet. Say what has changed for each before sending.",
                "%(count)d criteria have no answer yet. Say what has changed for each before sending.",
                missing,
            ) % {"count": missing}
        )
    follow_up.status = FollowUpStatus.SUBMITTED
    follow_up.submitted_at = timezone.now()
    follow_up.submitted_by = submitted_by
    follow_up.save(update_fields=["status", "submitted_at", "submitted_by"])
    return follow_up


# --- the lead reviewer's new ratings and recommendation ---------------------------------------------


def _require_ratable(follow_up):
    if follow_up.status != FollowUpStatus.SUBMITTED:
        raise ReviewError(_("The follow-up is rated once the service has sent its answers, until it is decided."))
    if follow_up.recommendations.filter(status=RecommendationStatus.PENDING).exists():
        raise ReviewError(_("The recommendation is waiting for ratification, so the ratings cannot change."))


@transaction.atomic
def rate_follow_up(follow_up, criterion, *, level, not_applicable, rationale, base_version, rated_by):
    """Records the lead reviewer's new rating of one criterion: a level or Not applicable, with
    the rationale the report gives for any change."""
    follow_up = _locked_follow_up(follow_up)
    _require_ratable(follow_up)
    _require_criterion(follow_up, criterion)
    if not not_applicable and level is None:
        raise ReviewError(_("Choose the new rating, or Not applicable."), field="level")
    if level is not None and level.edition_id != follow_up.cycle.edition_id:
        raise ReviewError(_("Choose a rating of this review's scale."), field="level")
    rationale = (rationale or "").strip()
    if not rationale:
        raise ReviewError(_("Give the rationale for the new rating."), field="rationale")
    rating, _created = FollowUpRating.objects.get_or_create(
        follow_up=follow_up, criterion=criterion, defaults={"not_applicable": True}
    )
    _require_version(rating, base_version)
    rating.level = None if not_applicable else level
    rating.not_applicable = bool(not_applicable)
    rating.rationale = rationale
    rating.version += 1
    rating.rated_by = rated_by
    rating.save()
    return rating


@transaction.atomic
def recommend_after_follow_up(follow_up, *, outcome, reasons, valid_until, recommended_by, follow_up_due=None):
    """The lead reviewer's recommended outcome of the follow-up, for administrators to ratify."""
    follow_up = _locked_follow_up(follow_up)
    _require_ratable(follow_up)
    if Recommendation.objects.filter(cycle=follow_up.cycle, status=RecommendationStatus.PENDING).exists():
        raise ReviewError(_("A recommendation for this review is already waiting for ratification."))
    unrated = follow_up.criteria.exclude(pk__in=follow_up.ratings.values("criterion_id")).count()
    if unrated:
        raise ReviewError(
            ngettext("Rate the %(count)d criterion not yet rated before recommending.",
                     "Rate the %(count)d criteria not yet rated before recommending.", unrated) % {"count": unrated}
        )
    if outcome not in DecisionOutcome.values:
        raise ReviewError(_("Choose the outcome you recommend."), field="outcome")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ReviewError(_("Give the reasons for the outcome you recommend."), field="reasons")
    if outcome in AWARD_OUTCOMES:
        valid_until = valid_until or award_valid_until()
        if valid_until <= timezone.localdate():
            raise ReviewError(_("An award is valid until a date after today."), field="valid_until")
    else:
        valid_until = None
    if outcome == DecisionOutcome.DEFERRED:
        follow_up_due = follow_up_due or follow_up_due_by()
        if not _still_unmet(follow_up):
            raise ReviewError(_("Every criterion is now met or not applicable: there is nothing left to defer."),
                              field="outcome")
    else:
        follow_up_due = None
    return Recommendation.objects.create(
        cycle=follow_up.cycle, follow_up=follow_up, outcome=outcome, reasons=reasons, valid_until=valid_until,
        follow_up_due=follow_up_due, recommended_by=recommended_by,
    )


def _still_unmet(follow_up):
    """Whether a new rating (every criterion has one by now) stays below the top level."""
    top = follow_up.cycle.edition.met_level_ids
    return follow_up.ratings.filter(not_applicable=False).exclude(level_id__in=top).exists()


# --- the decision ---------------------------------------------------------------------------------


@transaction.atomic
def decide_follow_up(follow_up, *, recommendation, decided_by):
    """Makes the ratified recommendation of a follow-up the decision: the new ratings replace
    the agreed ones (each change recorded), the decision is updated and the follow-up closed. A
    further deferral opens the next follow-up. The caller sends decision_changed."""
    follow_up = _locked_follow_up(follow_up)
    cycle = follow_up.cycle
    if follow_up.status != FollowUpStatus.SUBMITTED:
        raise ReviewError(_("Only a follow-up the service has sent, and not yet decided, can be decided."))
    _apply_new_ratings(follow_up, decided_by)
    computed = decision_for(cycle)
    Decision.objects.update_or_create(cycle=cycle, defaults={
        "outcome": recommendation.outcome,
        "rationale": recommendation.reasons,
        "valid_until": recommendation.valid_until,
        "recommended": computed.recommended,
        "percent_met": computed.overall.percent_met,
        "recorded_by": decided_by,
        "recommended_by": recommendation.recommended_by,
    })
    follow_up.status = FollowUpStatus.DECIDED
    follow_up.decided_at = timezone.now()
    follow_up.save(update_fields=["status", "decided_at"])
    if recommendation.outcome == DecisionOutcome.DEFERRED and unmet_criterion_ids(cycle):
        follow_up_due = recommendation.follow_up_due or follow_up_due_by()
        open_follow_up(cycle, due_on=max(follow_up_due, timezone.localdate()), opened_by=decided_by)
    return follow_up


def _apply_new_ratings(follow_up, decided_by):
    agreed = {a.criterion_id: a for a in AgreedRating.objects.filter(cycle=follow_up.cycle)}
    in_edition_order = follow_up.ratings.order_by("criterion__value__order", "criterion__order")
    for rating in in_edition_order.select_related("criterion", "level"):
        before = agreed.get(rating.criterion_id)
        if before and before.level_id == rating.level_id and before.not_applicable == rating.not_applicable:
            continue
        record_rating_change(
            follow_up.cycle, criterion=rating.criterion, level=rating.level, not_applicable=rating.not_applicable,
            reason=rating.rationale, by=rating.rated_by or decided_by, source=ChangeSource.FOLLOW_UP,
        )
