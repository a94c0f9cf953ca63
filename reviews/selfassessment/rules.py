"""Who may read and change a self-assessment, its answers and its evidence."""

import rules

from assurance.rules import is_network_admin
from reviews.cycles.rules import (
    is_member_of_cycle_service,
    leads_cycle_service,
    self_assessment_awaits_visit,
    self_assessment_is_open,
    works_in_cycle_service,
)
from reviews.disclosure import Fact, discloses
from reviews.selfassessment.models import Perspective

# Who answers, and while the self-assessment is open. Staff only: members answer the members'
# questionnaire (reviews/members), never the self-assessment.
rules.add_rule("edit_answers:staff", works_in_cycle_service & self_assessment_is_open)
rules.add_rule("submit_self_assessment", leads_cycle_service & self_assessment_is_open)
rules.add_rule("reopen_self_assessment", is_network_admin & self_assessment_awaits_visit)
rules.add_rule("add_evidence", (works_in_cycle_service | is_member_of_cycle_service) & self_assessment_is_open)

# Who reads them: the disclosure policy (reviews/disclosure.py).
rules.add_rule("read_answers:staff", discloses(Fact.STAFF_WORDS))
rules.add_rule("see_all_evidence", discloses(Fact.STAFF_EVIDENCE))
rules.add_rule("view_evidence", discloses(Fact.STAFF_EVIDENCE, Fact.MEMBER_EVIDENCE))
rules.add_rule("see_answer_authors:staff", discloses(Fact.STAFF_AUTHORS))
# Members answer a questionnaire now, kept without a person; which member added an older piece of
# evidence is shown to nobody.
rules.add_rule("see_answer_authors:members", rules.always_deny)


def perspective_for(user, cycle):
    """Whose the evidence a person adds is: the staff's, or the members' (members answer the
    questionnaire, not the self-assessment, but may still add evidence). None for anyone else."""
    if rules.test_rule("edit_answers:staff", user, cycle):
        return Perspective.STAFF
    if is_member_of_cycle_service(user, cycle) and self_assessment_is_open(user, cycle):
        return Perspective.MEMBERS
    return None
