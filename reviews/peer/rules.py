"""Who may do what in the peer review: the visit and team, ratings, agreeing, findings and
actions, factual accuracy, the decision and feedback."""

import rules

from assurance.roles import roles_of
from assurance.rules import is_network_admin
from reviews.cycles.rules import (
    findings_open,
    has_submitted_own_ratings,
    is_lead_reviewer,
    is_on_review_team,
    ratings_are_agreed,
    ratings_are_shared,
    ratings_just_agreed,
    report_is_draft,
    report_is_final_and_open,
    review_under_way,
    self_assessment_awaits_visit,
    service_people,
    team_can_change,
    works_in_cycle_service,
)
from reviews.disclosure import Fact, discloses
from reviews.peer.services.outcomes import action_plan_is_open


@rules.predicate
def is_reviewer(user):
    return roles_of(user).is_reviewer


@rules.predicate
def action_plan_open(user, cycle):
    """The window after the final report in which the action plan is written."""
    return action_plan_is_open(cycle)


# Doing: who may act, and when.
rules.add_rule("declare_conflicts", is_reviewer)
rules.add_rule("keep_own_reviewer_record", is_reviewer)
rules.add_rule("see_reviewers", is_network_admin)
rules.add_rule("edit_reviewer_records", is_network_admin)
rules.add_rule("see_reciprocity", is_network_admin)
rules.add_rule("see_own_visits", is_reviewer)
rules.add_rule("manage_visit", is_network_admin)
rules.add_rule("change_visit", is_network_admin & team_can_change)
# Inviting people to the visit, proposing its dates and agreeing one: whoever organises the visit.
rules.add_rule("invite_to_visit", (is_network_admin | is_lead_reviewer) & team_can_change)
rules.add_rule("start_peer_review", is_network_admin & self_assessment_awaits_visit)
# The pack shows only what its reader may see (reviews/disclosure.py), so it may be printed at any stage.
rules.add_rule("print_visit_pack", is_on_review_team | is_network_admin)
rules.add_rule("rate", is_on_review_team & review_under_way & ~has_submitted_own_ratings)
rules.add_rule("agree_ratings", is_lead_reviewer & review_under_way & (has_submitted_own_ratings | ratings_are_shared))
rules.add_rule("record_findings", is_lead_reviewer & findings_open)
rules.add_rule("acknowledge_urgent_concerns", is_network_admin)
rules.add_rule("escalate_urgent_concerns", is_network_admin)
# The action plan: the lead reviewer's from the visit to the final report, then the service's too
# for settings.ACTION_PLAN_WINDOW_DAYS. A page posted after the window gets the service's refusal,
# which says when it closed.
writes_action_plan = (is_lead_reviewer & findings_open) | (
    (works_in_cycle_service | is_lead_reviewer) & report_is_final_and_open)
rules.add_rule("add_actions", writes_action_plan & (findings_open | action_plan_open))
rules.add_rule("post_actions", writes_action_plan)
rules.add_rule("update_actions", is_network_admin | works_in_cycle_service | is_lead_reviewer)
rules.add_rule("verify_actions", is_network_admin | is_lead_reviewer)
rules.add_rule("send_draft_report", is_lead_reviewer & ratings_just_agreed)
rules.add_rule("comment_on_accuracy", works_in_cycle_service & report_is_draft)
rules.add_rule("answer_accuracy_comments", is_lead_reviewer & report_is_draft)
rules.add_rule("close_cycle", is_network_admin & report_is_final_and_open)
rules.add_rule("give_feedback", service_people & ratings_are_agreed)

# Seeing: each page opens for those who may see what it shows (reviews/disclosure.py).
rules.add_rule("view_visit", discloses(Fact.VISIT_PLAN))
rules.add_rule("view_own_ratings", is_on_review_team)
rules.add_rule("view_all_peer_ratings", discloses(Fact.REVIEWER_RATINGS))
rules.add_rule("view_agreement", discloses(Fact.REVIEWER_RATINGS))
rules.add_rule("view_agreed_ratings", discloses(Fact.AGREED_RATINGS))
rules.add_rule("view_findings", discloses(Fact.STRENGTHS, Fact.DEVELOPMENT, Fact.URGENT_CONCERNS, Fact.ACTIONS))
rules.add_rule("view_carried_actions", discloses(Fact.CARRIED_ACTIONS))
rules.add_rule("view_accuracy_comments", discloses(Fact.ACCURACY_COMMENTS))
rules.add_rule("view_decision", discloses(Fact.AGREED_RATINGS, Fact.DECISION))
rules.add_rule("read_feedback", discloses(Fact.FEEDBACK))
