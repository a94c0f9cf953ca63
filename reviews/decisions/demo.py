"""Demo decisions beyond a plain award, each reached through the same services people use:

- Fernside House: deferred; its follow-up of the criteria not met is under way, the service has
  answered some of them;
- Beacon Wing: not awarded, and the service's appeal is with a panel;
- Millbrook Community: awarded with conditions for two years on last year's edition; the award
  expires in six weeks, its interim review at mid-term read and noted.

Each is built only if its service has no cycle yet: running the seed twice changes nothing.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from reviews.cycles.models import CycleState
from reviews.decisions.dates import add_years, award_valid_until
from reviews.decisions.models import InterimReview, RatificationVote, Recommendation
from reviews.decisions.services.appeals import appoint_panel, lodge_appeal
from reviews.decisions.services.follow_up import save_follow_up_answer
from reviews.decisions.services.lifecycle import record_interim_read, request_interim_review, save_interim_update
from reviews.decisions.services.ratify import close_review, ratify, recommend_outcome
from reviews.peer.demo import Review
from reviews.peer.models import AWARD_OUTCOMES, DecisionOutcome, TeamRole
from reviews.peer.services import Correction, answer_accuracy_comment

FOLLOW_UP_ANSWERS = [
    "Night staff now join the weekly reflective practice group; the rota since October shows every shift covered.",
    "Members rewrote the complaints leaflet with us in plain words; it is part of induction and the house meeting "
    "minutes record two complaints resolved this way.",
]
APPEAL_GROUNDS = (
    "The team visited on a Monday and did not see the evening community meeting, where residents chair the "
    "discussion of incidents. The minutes of the last twelve meetings show members shaping the wing's rules; "
    "we ask that the ratings for shared decision-making be looked at again with them."
)


def seed_demo_decisions(services, editions, people):
    """services: name → Service; editions: version → Edition; people: username → User."""
    current = editions["2026.1"]
    earlier = editions.get("2025.1") or current
    team = [(people["jo"], TeamRole.PEER_REVIEWER), (people["lee"], TeamRole.LIVED_EXPERIENCE_REVIEWER),
            (people["nia"], TeamRole.LEAD_REVIEWER)]
    plans = [("Fernside House", current, 21, 0.5, _deferred_with_follow_up),
             ("Beacon Wing", current, 22, 0.55, _not_awarded_under_appeal),
             ("Millbrook Community", earlier, 23, 0.95, _award_near_expiry)]
    for name, edition, seed, quality, finish in plans:
        service = services[name]
        if not service.cycles.exists():
            review = Review(service, edition, team, people, people["admin"], seed, quality=quality, noise=0.05)
            review.run_to(CycleState.REPORT_DRAFT)
            finish(review, people)


def _decide(review, outcome, reasons, *, valid_until=None, follow_up_due=None):
    for comment in review.cycle.accuracy_comments.filter(responded_at__isnull=True).select_related("finding"):
        _answer(review, comment)
    if outcome in AWARD_OUTCOMES:
        valid_until = valid_until or award_valid_until()
    recommendation = recommend_outcome(review.cycle, outcome=outcome, reasons=reasons, valid_until=valid_until,
                                       follow_up_due=follow_up_due, recommended_by=review.lead)
    ratify(recommendation, by=review.admin)
    review.cycle.refresh_from_db()
    return Recommendation.objects.get(pk=recommendation.pk)


def _answer(review, comment):
    """The service was right about the finding: the answer corrects its wording."""
    if comment.finding is None:
        answer_accuracy_comment(comment, by=review.lead, response="Noted: the final wording reflects it.")
        return
    corrected = (f"{comment.finding.text.rstrip('.')}, although night staff have begun to attend "
                 "reflective practice (twice last quarter).")
    answer_accuracy_comment(comment, by=review.lead, change=Correction(text=corrected, seen=comment.finding.text),
                            response="The practice folder shows two sessions with night staff: the finding now "
                                     "says so.")


def _deferred_with_follow_up(review, people):
    today = timezone.localdate()
    _decide(review, DecisionOutcome.DEFERRED,
            "Most of the standards are met and members describe a house that listens. Tier 1 criteria are not all "
            "met yet: the panel defers the award and asks for evidence on those criteria within twelve weeks.",
            follow_up_due=today + datetime.timedelta(weeks=12))
    follow_up = review.cycle.follow_ups.get()
    criteria = follow_up.criteria.order_by("value__order", "order")[: len(FOLLOW_UP_ANSWERS)]
    for criterion, narrative in zip(criteria, FOLLOW_UP_ANSWERS, strict=False):
        save_follow_up_answer(follow_up, criterion, narrative=narrative, evidence_ids=[], base_version=0,
                              saved_by=review.service_lead)


def _not_awarded_under_appeal(review, people):
    _decide(review, DecisionOutcome.NOT_AWARDED,
            "Shared decision-making and members' part in the rules of the wing were not evident on the day, and "
            "several tier 1 criteria are not met.")
    appeal = lodge_appeal(review.cycle, grounds=APPEAL_GROUNDS, lodged_by=review.service_lead)
    appoint_panel(appeal, members=[people["panel"]], appointed_by=review.admin)


def _award_near_expiry(review, people):
    """Awarded with conditions for two years, two years ago less six weeks: it runs out in six weeks."""
    _decide(review, DecisionOutcome.AWARDED_WITH_CONDITIONS,
            "Every tier meets its threshold; members, staff and reviewers describe the same community. The award "
            "is for two years, on condition that the new alumni mentoring scheme is written into induction.",
            valid_until=add_years(timezone.localdate(), 2))
    interim = request_interim_review(review.cycle, requested_by=review.admin)
    save_interim_update(interim, statement="A new deputy manager started in the spring; the community meeting and "
                                           "the alumni evenings carried on throughout.",
                        by_value={}, base_version=interim.version, saved_by=review.service_lead, submit=True)
    record_interim_read(InterimReview.objects.get(pk=interim.pk), read_by=review.lead,
                        note="Read with thanks: nothing here changes the award.")
    close_review(review.cycle, closed_by=review.admin)
    shift = (review.cycle.decision.valid_until - timezone.localdate()) - datetime.timedelta(weeks=6)
    review.backdate(days=shift.days)
    interim.refresh_from_db()
    due_on = interim.due_on - shift
    InterimReview.objects.filter(pk=interim.pk).update(
        due_on=due_on, requested_at=F("requested_at") - shift,
        submitted_at=_at(due_on - datetime.timedelta(days=9)), reviewed_at=_at(due_on - datetime.timedelta(days=2)))
    Recommendation.objects.filter(cycle=review.cycle).update(
        recommended_at=F("recommended_at") - shift, settled_at=F("settled_at") - shift)
    RatificationVote.objects.filter(recommendation__cycle=review.cycle).update(at=F("at") - shift)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
