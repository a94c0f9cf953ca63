"""Who a person is to a review cycle, and where the cycle stands: the predicates every stage's
rules are made of. Views first fetch the cycle through `reviews.cycles.access.cycle_or_404`, so a cycle
outside a person's reach is a 404 before any rule runs."""

import rules

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.rules import is_network_admin
from reviews.cycles.models import CycleState

# --- who the person is to the cycle ------------------------------------------------------------


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
def commissions_cycle_service(user, cycle):
    return roles_of(user).holds_for(cycle.service_id, RoleKind.COMMISSIONER)


def team_place(user, cycle):
    """The person's place on the cycle's review team, or None (uses the prefetched team)."""
    visit = getattr(cycle, "visit", None)
    if visit is None or user is None or not user.is_authenticated:
        return None
    return next((member for member in visit.team.all() if member.user_id == user.pk), None)


@rules.predicate
def is_on_review_team(user, cycle):
    return team_place(user, cycle) is not None


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


service_people = works_in_cycle_service | is_member_of_cycle_service
# A reviewer sees the others' ratings once they have submitted their own (or the team rates openly).
sees_others_ratings = is_on_review_team & (has_submitted_own_ratings | ratings_are_shared)

# --- where the cycle stands ----------------------------------------------------------------------


@rules.predicate
def self_assessment_is_open(user, cycle):
    return cycle.state == CycleState.OPEN


@rules.predicate
def self_assessment_is_submitted(user, cycle):
    return cycle.state != CycleState.OPEN


@rules.predicate
def self_assessment_awaits_visit(user, cycle):
    return cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


@rules.predicate
def review_under_way(user, cycle):
    return cycle.state == CycleState.VISIT


@rules.predicate
def team_can_change(user, cycle):
    return cycle.state in CycleState.TEAM_CAN_CHANGE


@rules.predicate
def ratings_are_agreed(user, cycle):
    return cycle.state in CycleState.SETTLED


@rules.predicate
def ratings_just_agreed(user, cycle):
    return cycle.state == CycleState.RATINGS_AGREED


@rules.predicate
def findings_open(user, cycle):
    return cycle.state in CycleState.FINDINGS_OPEN


@rules.predicate
def report_is_draft(user, cycle):
    return cycle.state == CycleState.REPORT_DRAFT


@rules.predicate
def report_is_draft_or_later(user, cycle):
    return cycle.state in CycleState.REPORTED


@rules.predicate
def report_is_final(user, cycle):
    return cycle.state in CycleState.CONCLUDED


@rules.predicate
def report_is_final_and_open(user, cycle):
    return cycle.state == CycleState.FINAL


rules.add_rule("open_cycle", is_network_admin)


@rules.predicate
def questionnaire_is_open(user, cycle):
    return cycle.state in CycleState.QUESTIONNAIRE_OPEN
