"""Who may read and change a self-assessment, its answers and its evidence."""

import rules

from assurance.rules import is_network_admin
from reviews.cycles.rules import (
    is_member_of_cycle_service,
    is_on_review_team,
    leads_cycle_service,
    self_assessment_awaits_visit,
    self_assessment_is_open,
    self_assessment_is_submitted,
    works_in_cycle_service,
)
from reviews.selfassessment.models import Perspective

can_edit_staff_answers = works_in_cycle_service & self_assessment_is_open
can_edit_member_answers = is_member_of_cycle_service & self_assessment_is_open
can_read_staff_answers = is_network_admin | works_in_cycle_service | (is_on_review_team & self_assessment_is_submitted)
can_read_member_answers = can_read_staff_answers | is_member_of_cycle_service

rules.add_rule("edit_answers:staff", can_edit_staff_answers)
rules.add_rule("edit_answers:members", can_edit_member_answers)
rules.add_rule("read_answers:staff", can_read_staff_answers)
rules.add_rule("read_answers:members", can_read_member_answers)
rules.add_rule("submit_self_assessment", leads_cycle_service & self_assessment_is_open)
rules.add_rule("reopen_self_assessment", is_network_admin & self_assessment_awaits_visit)
rules.add_rule("add_evidence", (works_in_cycle_service | is_member_of_cycle_service) & self_assessment_is_open)
rules.add_rule("see_all_evidence", can_read_staff_answers)


def perspective_for(user, cycle):
    """The perspective a person answers in for this cycle, or None."""
    if rules.test_rule("edit_answers:staff", user, cycle):
        return Perspective.STAFF
    if rules.test_rule("edit_answers:members", user, cycle):
        return Perspective.MEMBERS
    return None

# Everyone who may read the members' answers sees evidence: all of it, or (members) what members added.
rules.add_rule("view_evidence", can_read_member_answers)
