"""Who may answer the members' questionnaire, run it, and read what it gathered."""

import rules

from assurance.rules import is_network_admin
from reviews.cycles.rules import (
    findings_open,
    is_lead_reviewer,
    is_member_of_cycle_service,
    leads_cycle_service,
    questionnaire_is_open,
    works_in_cycle_service,
)
from reviews.disclosure import Fact, discloses

# Answering: a member with an account, while the questionnaire is open (sessions need no account).
rules.add_rule("answer_questionnaire", is_member_of_cycle_service & questionnaire_is_open)

# Running it: the service's lead opens sessions and states the number of members; staff type in
# returned paper copies and a members' meeting's shared answers.
rules.add_rule("run_questionnaire", (leads_cycle_service | is_network_admin) & questionnaire_is_open)
rules.add_rule("handle_paper_questionnaires", works_in_cycle_service | is_network_admin)
rules.add_rule("enter_member_responses", (works_in_cycle_service | is_network_admin) & questionnaire_is_open)

# Reading: the disclosure policy (reviews/disclosure.py).
rules.add_rule("view_member_responses", discloses(Fact.MEMBER_RESPONSES))
rules.add_rule("view_member_counts", discloses(Fact.MEMBER_COUNTS))
rules.add_rule("read_member_free_text", discloses(Fact.MEMBER_FREE_TEXT))
rules.add_rule("view_member_quotes", discloses(Fact.MEMBER_QUOTES_PROPOSED, Fact.MEMBER_QUOTES))

# Quoting members in the report: the lead reviewer proposes, the service's lead agrees.
rules.add_rule("propose_member_quote", is_lead_reviewer & findings_open & discloses(Fact.MEMBER_FREE_TEXT))
rules.add_rule("agree_member_quote", leads_cycle_service & findings_open & discloses(Fact.MEMBER_QUOTES_PROPOSED))
