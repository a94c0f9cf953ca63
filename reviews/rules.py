"""Who may do what with a review cycle. Views first fetch the cycle through
`queries.cycles_visible_to`, so a cycle outside a person's reach is a 404 before these run."""

import rules

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.rules import is_network_admin
from reviews.models import CycleState, Perspective


@rules.predicate
def works_in_cycle_service(user, cycle):
    return roles_of(user).holds_for(cycle.service_id, RoleKind.SERVICE_LEAD, RoleKind.STAFF)


@rules.predicate
def leads_cycle_service(user, cycle):
    return roles_of(user).holds_for(cycle.service_id, RoleKind.SERVICE_LEAD)


@rules.predicate
def is_member_of_cycle_service(user, cycle):
    return roles_of(user).holds_for(cycle.service_id, RoleKind.MEMBER)


@rules.predicate
def is_on_review_team(user, cycle):
    # The team is prefetched by the views that ask; otherwise one query.
    visit = getattr(cycle, "visit", None)
    return visit is not None and any(member.user_id == user.pk for member in visit.team.all())


def team_place(user, cycle):
    """The person's place on the cycle's review team, or None (uses the prefetched team)."""
    visit = getattr(cycle, "visit", None)
    if visit is None:
        return None
    return next((member for member in visit.team.all() if member.user_id == user.pk), None)


@rules.predicate
def is_lead_reviewer(user, cycle):
    place = team_place(user, cycle)
    return place is not None and place.is_lead


@rules.predicate
def has_submitted_own_ratings(user, cycle):
    place = team_place(user, cycle)
    return place is not None and place.has_submitted


@rules.predicate
def ratings_are_shared(user, cycle):
    return not cycle.independent_ratings


@rules.predicate
def review_under_way(user, cycle):
    return cycle.state == CycleState.VISIT


@rules.predicate
def ratings_are_agreed(user, cycle):
    return cycle.state in (CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT, CycleState.FINAL, CycleState.CLOSED)


@rules.predicate
def report_is_draft_or_later(user, cycle):
    return cycle.state in (CycleState.REPORT_DRAFT, CycleState.FINAL, CycleState.CLOSED)


@rules.predicate
def report_is_final(user, cycle):
    return cycle.state in (CycleState.FINAL, CycleState.CLOSED)


@rules.predicate
def report_is_final_and_open(user, cycle):
    return cycle.state == CycleState.FINAL


@rules.predicate
def report_is_draft(user, cycle):
    return cycle.state == CycleState.REPORT_DRAFT


@rules.predicate
def findings_open(user, cycle):
    return cycle.state in (CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT)


@rules.predicate
def commissions_cycle_service(user, cycle):
    return roles_of(user).holds_for(cycle.service_id, RoleKind.COMMISSIONER)


@rules.predicate
def self_assessment_is_open(user, cycle):
    return cycle.state == CycleState.OPEN


@rules.predicate
def self_assessment_is_submitted(user, cycle):
    return cycle.state != CycleState.OPEN


@rules.predicate
def can_reopen_state(user, cycle):
    return cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


can_edit_staff_answers = works_in_cycle_service & self_assessment_is_open
can_edit_member_answers = is_member_of_cycle_service & self_assessment_is_open
can_read_staff_answers = is_network_admin | works_in_cycle_service | (is_on_review_team & self_assessment_is_submitted)
can_read_member_answers = can_read_staff_answers | is_member_of_cycle_service

rules.add_rule("open_cycle", is_network_admin)
rules.add_rule("edit_answers:staff", can_edit_staff_answers)
rules.add_rule("edit_answers:members", can_edit_member_answers)
rules.add_rule("read_answers:staff", can_read_staff_answers)
rules.add_rule("read_answers:members", can_read_member_answers)
rules.add_rule("submit_self_assessment", leads_cycle_service & self_assessment_is_open)
rules.add_rule("reopen_self_assessment", is_network_admin & can_reopen_state)
rules.add_rule("add_evidence", (works_in_cycle_service | is_member_of_cycle_service) & self_assessment_is_open)
rules.add_rule("see_all_evidence", can_read_staff_answers)

# Peer review.
service_people = works_in_cycle_service | is_member_of_cycle_service
sees_others_ratings = is_on_review_team & (has_submitted_own_ratings | ratings_are_shared)
rules.add_rule("manage_visit", is_network_admin)
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
# Actions carried over from the service's last review belong to it from the day the cycle opens.
rules.add_rule("view_carried_actions", rules.predicates.is_authenticated & (works_in_cycle_service | is_network_admin))
rules.add_rule("update_actions", is_network_admin | works_in_cycle_service | is_lead_reviewer)
rules.add_rule("verify_actions", is_network_admin | is_lead_reviewer)
rules.add_rule("send_draft_report", is_lead_reviewer & ratings_are_agreed)
rules.add_rule("comment_on_accuracy", works_in_cycle_service & report_is_draft)
rules.add_rule("answer_accuracy_comments", is_lead_reviewer & report_is_draft)
rules.add_rule("view_accuracy_comments", is_network_admin | is_on_review_team | (works_in_cycle_service & report_is_draft_or_later))
# The decision page's figures come from the agreed ratings: a reviewer sees them only once they
# may see the others' ratings, as for the agreed ratings themselves.
rules.add_rule("view_decision", is_network_admin | (is_on_review_team & (sees_others_ratings | ratings_are_agreed))
               | (service_people & report_is_draft_or_later) | (commissions_cycle_service & report_is_final))
rules.add_rule("record_decision", is_network_admin & report_is_draft)
rules.add_rule("close_cycle", is_network_admin & report_is_final_and_open)
rules.add_rule("give_feedback", service_people & ratings_are_agreed)
rules.add_rule("read_feedback", is_network_admin)


def perspective_for(user, cycle):
    """The perspective a person answers in for this cycle, or None."""
    if rules.test_rule("edit_answers:staff", user, cycle):
        return Perspective.STAFF
    if rules.test_rule("edit_answers:members", user, cycle):
        return Perspective.MEMBERS
    return None

# Reports and exports. The report shows every reviewer's ratings and comments and the agreed
# ratings, so a reviewer sees it only once they may see those (as for the decision page).
rules.add_rule("view_report", is_network_admin | (is_on_review_team & (sees_others_ratings | ratings_are_agreed))
               | (service_people & report_is_draft_or_later) | (commissions_cycle_service & report_is_final))
rules.add_rule("issue_report", is_network_admin & report_is_final)
# Exports have the permissions of the pages (docs/exports.md); sections are filtered one by one.
rules.add_rule("export_cycle", is_network_admin | is_on_review_team | (service_people & report_is_draft_or_later)
               | (commissions_cycle_service & report_is_final))
