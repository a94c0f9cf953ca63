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


def perspective_for(user, cycle):
    """The perspective a person answers in for this cycle, or None."""
    if rules.test_rule("edit_answers:staff", user, cycle):
        return Perspective.STAFF
    if rules.test_rule("edit_answers:members", user, cycle):
        return Perspective.MEMBERS
    return None
