"""Demo decisions, each reached through the same services people use, on the days they happened:

- Cedar Unit: final and awarded seven weeks ago (recommended, ratified, its final report issued),
  after last year's review, deferred and closed, whose open actions carried over;
- Fernside House: deferred; its follow-up of the criteria not met is under way, the service has
  answered some of them;
- Beacon Wing: not awarded three weeks ago, and the service's appeal is with a panel;
- Millbrook Community: awarded with conditions for two years on last year's edition; the award
  expires in six weeks, its interim review at mid-term read and noted.

Each is built only if its service has no cycle yet: running the seed twice changes nothing.
"""

import datetime

from django.utils import timezone

from assurance.demo import as_if_on
from reviews.cycles.models import CycleState
from reviews.decisions.dates import add_years
from reviews.decisions.models import InterimReview, Recommendation
from reviews.decisions.services.appeals import appoint_panel, lodge_appeal
from reviews.decisions.services.follow_up import save_follow_up_answer
from reviews.decisions.services.lifecycle import (
    mid_term,
    record_interim_read,
    request_interim_review,
    save_interim_update,
)
from reviews.decisions.services.ratify import close_review, ratify, recommend_outcome
from reviews.decisions.signals import decision_changed
from reviews.peer.demo import Review, Timeline, days_ago
from reviews.peer.models import Action, ActionStatus, DecisionOutcome, TeamRole
from reviews.peer.queries import decision_for
from reviews.peer.services import (
    Correction,
    answer_accuracy_comment,
    close_cycle,
    give_feedback,
    record_decision,
    update_action,
)

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
    expires = timezone.localdate() + datetime.timedelta(weeks=6)
    plans = [("Fernside House", current, 21, 0.5, days_ago(8 * 7), _deferred_with_follow_up),
             ("Beacon Wing", current, 22, 0.55, days_ago(3 * 7), _not_awarded_under_appeal),
             ("Millbrook Community", earlier, 23, 0.95, add_years(expires, -2), _award_near_expiry)]
    for name, edition, seed, quality, decided, finish in plans:
        service = services[name]
        if not service.cycles.exists():
            review = Review(service, edition, team, people, people["admin"], seed, quality=quality, noise=0.05,
                            timeline=Timeline.reaching("decided", decided), agree_at_once=True)
            review.run_to(CycleState.REPORT_DRAFT)
            finish(review, people)
    cedar = services["Cedar Unit"]
    if not cedar.cycles.exists():
        _cedar(cedar, earlier, current, people)


def _cedar(cedar, earlier, current, people):
    """Last year's review, deferred and closed, then this year's, awarded: its actions carried over."""
    cedar_team = [(people["reviewer"], TeamRole.PEER_REVIEWER), (people["lee"], TeamRole.LIVED_EXPERIENCE_REVIEWER),
                  (people["nia"], TeamRole.LEAD_REVIEWER)]
    if earlier != current:
        last_year = Review(cedar, earlier, cedar_team, people, people["admin"], seed=14, quality=0.55,
                           timeline=Timeline.reaching("decided", days_ago(56 * 7)), agree_at_once=True)
        last_year.run_to(CycleState.REPORT_DRAFT)
        _deferred_and_closed(last_year)
    review = Review(cedar, current, cedar_team, people, people["admin"], seed=15, quality=0.93, noise=0.02,
                    timeline=Timeline.reaching("decided", days_ago(7 * 7)), agree_at_once=True)
    review.run_to(CycleState.REPORT_DRAFT)
    computed = decision_for(review.cycle)
    decide(review, DecisionOutcome.AWARDED if computed.recommended else DecisionOutcome.AWARDED_WITH_CONDITIONS,
           "The agreed ratings meet the award rule. The panel notes the strength of members' voice: the unit "
           "community meeting shapes daily life, and the men described it in their own words.")
    with as_if_on(review.timeline["decided"] + datetime.timedelta(days=12)):
        for action in Action.objects.filter(cycle=review.cycle).order_by("due_date")[:1]:
            update_action(action, status=ActionStatus.IN_PROGRESS, note="Two night staff joined this month.",
                          updated_by=review.service_lead, may_verify=False)
        give_feedback(review.cycle, given_by=review.service_lead, visit_rating=5, team_rating=4,
                      went_well="The team listened to the men first and fed back honestly on the day.",
                      could_improve="We would have liked the draft report a week sooner.")


def _deferred_and_closed(review):
    """Last year's way, before recommendations were ratified: the decision recorded by an administrator
    (its final report issued with it, as every decision's is), the cycle closed six weeks later."""
    with as_if_on(review.timeline["recommended"]):
        _answer_comments(review)
    with as_if_on(review.timeline["decided"]):
        reasons = "Tier 1 criteria are not all met yet. The panel defers the award, with the action plan as the route back."
        record_decision(review.cycle, outcome=DecisionOutcome.DEFERRED, rationale=reasons, valid_until=None,
                        recorded_by=review.admin, recommended_by=review.lead)
        decision_changed.send(sender=Recommendation, cycle=review.cycle, actor=review.admin, reason=reasons)
    with as_if_on(review.timeline["closed"]):
        close_cycle(review.cycle, closed_by=review.admin)


def decide(review, outcome, reasons, *, valid_until=None, follow_up_due=None):
    """The lead recommends on the review's "recommended" day; an administrator ratifies a week later,
    which records the decision and issues the final report."""
    with as_if_on(review.timeline["recommended"]):
        _answer_comments(review)
        if outcome in (DecisionOutcome.AWARDED, DecisionOutcome.AWARDED_WITH_CONDITIONS):
            valid_until = valid_until or add_years(review.timeline["decided"], 3)
        recommendation = recommend_outcome(review.cycle, outcome=outcome, reasons=reasons, valid_until=valid_until,
                                           follow_up_due=follow_up_due, recommended_by=review.lead)
    with as_if_on(review.timeline["decided"]):
        ratify(recommendation, by=review.admin)
    review.cycle.refresh_from_db()
    return Recommendation.objects.get(pk=recommendation.pk)


def _answer_comments(review):
    for comment in review.cycle.accuracy_comments.filter(responded_at__isnull=True).select_related("finding"):
        _answer(review, comment)


def _answer(review, comment):
    """The service was right about the finding: the answer corrects its wording."""
    if comment.finding is None:
        answer_accuracy_comment(comment, by=review.lead, response="Noted: the final wording reflects it.")
        return
    corrected = f"{comment.finding.text.rstrip('.')}; the service began work on it after the visit."
    answer_accuracy_comment(comment, by=review.lead, change=Correction(text=corrected, seen=comment.finding.text),
                            response="The minutes show the work started after the visit: the finding now says so.")


def _deferred_with_follow_up(review, people):
    decide(review, DecisionOutcome.DEFERRED,
           "Most of the standards are met and residents describe a house that listens. Tier 1 criteria are not all "
           "met yet: the panel defers the award and asks for evidence on those criteria within twelve weeks.",
           follow_up_due=review.timeline["decided"] + datetime.timedelta(weeks=12))
    follow_up = review.cycle.follow_ups.get()
    criteria = follow_up.criteria.order_by("value__order", "order")[: len(FOLLOW_UP_ANSWERS)]
    with as_if_on(days_ago(5)):
        for criterion, narrative in zip(criteria, FOLLOW_UP_ANSWERS, strict=False):
            save_follow_up_answer(follow_up, criterion, narrative=narrative, evidence_ids=[], base_version=0,
                                  saved_by=review.service_lead)


def _not_awarded_under_appeal(review, people):
    decide(review, DecisionOutcome.NOT_AWARDED,
           "Shared decision-making and the men's part in the rules of the wing were not evident on the day, and "
           "several tier 1 criteria are not met.")
    with as_if_on(review.timeline["decided"] + datetime.timedelta(days=10)):
        appeal = lodge_appeal(review.cycle, grounds=APPEAL_GROUNDS, lodged_by=review.service_lead)
    with as_if_on(review.timeline["decided"] + datetime.timedelta(days=14)):
        appoint_panel(appeal, members=[people["panel"]], appointed_by=review.admin)


def _award_near_expiry(review, people):
    """Awarded with conditions for two years, two years ago less six weeks: it runs out in six weeks."""
    decided = review.timeline["decided"]
    decide(review, DecisionOutcome.AWARDED_WITH_CONDITIONS,
           "Every tier meets its threshold; members, staff and reviewers describe the same community. The award "
           "is for two years, on condition that the new alumni mentoring scheme is written into induction.",
           valid_until=add_years(decided, 2))
    with as_if_on(review.timeline["closed"]):
        close_review(review.cycle, closed_by=review.admin)
    halfway = mid_term(review.cycle.decision)
    with as_if_on(halfway - datetime.timedelta(weeks=8)):
        interim = request_interim_review(review.cycle, requested_by=review.admin)
    with as_if_on(halfway - datetime.timedelta(days=9)):
        save_interim_update(interim, statement="A new deputy manager started in the spring; the community meeting "
                                               "and the alumni evenings carried on throughout.",
                            by_value={}, base_version=interim.version, saved_by=review.service_lead, submit=True)
    with as_if_on(halfway - datetime.timedelta(days=2)):
        record_interim_read(InterimReview.objects.get(pk=interim.pk), read_by=review.lead,
                            note="Read with thanks: nothing here changes the award.")
