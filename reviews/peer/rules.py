"""Who may do what in the peer review: the visit and team, ratings, agreeing, findings and
actions, factual accuracy, the decision and feedback."""

import rules

from assurance.roles import roles_of
from assurance.rules import is_network_admin
from reviews.cycles.rules import (
    commissions_cycle_service,
    findings_open,
    has_submitted_own_ratings,
    is_lead_reviewer,
    is_on_review_team,
    ratings_are_agreed,
    ratings_are_shared,
    ratings_just_agreed,
    report_is_draft,
    report_is_draft_or_later,
    report_is_final,
    report_is_final_and_open,
    review_under_way,
    sees_others_ratings,
    self_assessment_awaits_visit,
    service_people,
    team_can_change,
    works_in_cycle_service,
)


@rules.predicate
def is_reviewer(user):
    return roles_of(user).is_reviewer


rules.add_rule("declare_conflicts", is_reviewer)
rules.add_rule("see_own_visits", is_reviewer)
rules.add_rule("manage_visit", is_network_admin)
rules.add_rule("change_visit", is_network_admin & team_can_change)
rules.add_rule("start_peer_review", is_network_admin & self_assessment_awaits_visit)
rules.add_rule("view_visit", is_network_admin | is_on_review_team | service_people)
rules.add_rule("rate", is_on_review_team & review_under_way & ~has_submitted_own_ratings)
rules.add_rule("view_own_ratings", is_on_review_team)
rules.add_rule("view_all_peer_ratings", is_network_admin | sees_others_ratings | (service_people & report_is_final))
rules.add_rule("view_agreement", is_network_admin | sees_others_ratings | (service_people & report_is_final))
rules.add_rule("agree_ratings", is_lead_reviewer & review_under_way & (has_submitted_own_ratings | ratings_are_shared))
# A reviewer sees the agreed ratings once they may see the others' (or the ratings are agreed), not before.
rules.add_rule("view_agreed_ratings", is_network_admin | sees_others_ratings | (is_on_review_team & ratings_are_agreed)
               | (service_people & report_is_draft_or_later) | (commissions_cycle_service & report_is_final))
rules.add_rule("record_findings", is_lead_reviewer & findings_open)
rules.add_rule("view_findings", is_network_admin | is_on_review_team | (service_people & report_is_draft_or_later)
               | (commissions_cycle_service & report_is_final))
rules.add_rule("acknowledge_urgent_concerns", is_network_admin)
# Actions carried over from the service's last review belong to it from the day the cycle opens.
rules.add_rule("view_carried_actions", rules.predicates.is_authenticated & (works_in_cycle_service | is_network_admin))
rules.add_rule("update_actions", is_network_admin | works_in_cycle_service | is_lead_reviewer)
rules.add_rule("verify_actions", is_network_admin | is_lead_reviewer)
rules.add_rule("send_draft_report", is_lead_reviewer & ratings_just_agreed)
rules.add_rule("comment_on_accuracy", works_in_cycle_service & report_is_draft)
rules.add_rule("answer_accuracy_comments", is_lead_reviewer & report_is_draft)
rules.add_rule("view_accuracy_comments", is_network_admin | is_on_review_team
               | (works_in_cycle_service & report_is_draft_or_later))
# The decision page's figures come from the agreed ratings: a reviewer sees them only once they
# may see the others' ratings, as for the agreed ratings themselves.
rules.add_rule("view_decision", is_network_admin | (is_on_review_team & (sees_others_ratings | ratings_are_agreed))
               | (service_people & report_is_draft_or_later) | (commissions_cycle_service & report_is_final))
rules.add_rule("record_decision", is_network_admin & report_is_draft)
rules.add_rule("close_cycle", is_network_admin & report_is_final_and_open)
rules.add_rule("give_feedback", service_people & ratings_are_agreed)
rules.add_rule("read_feedback", is_network_admin)
