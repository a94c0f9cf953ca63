"""Who sees what, and when: the one disclosure policy of a review.

Every fact a page, PDF, export, summary or email can show about a review cycle has one entry
here: for each audience (what a person is to the cycle), the stages at which they see it. Pages
and documents ask `disclosure(user, cycle)` (or `sees`) and show only what it allows; none of
them decides on its own. The permission rules of the stages are made from it too, so a page that
shows a fact opens exactly for those who may see that fact. `docs/disclosure.md` is generated
from this module (`manage.py disclosure_policy`), and a generated test plants a marker in every
fact and checks every persona's every page and file against it.

What a person is to a cycle comes from their roles and the cycle's team, read without further
queries (the views fetch the cycle with its team).
"""

import functools
import hashlib
from dataclasses import dataclass

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from reviews.cycles.models import CycleState
from reviews.cycles.rules import team_place


class Fact(models.TextChoices):
    STAGE = "stage", _("Where the cycle stands: its stage and due dates")
    STAFF_RATINGS = "staff_ratings", _("The staff's own ratings")
    STAFF_WORDS = "staff_words", _("What the staff wrote: what shows it, why not applicable")
    STAFF_EVIDENCE = "staff_evidence", _("Evidence the staff added")
    STAFF_AUTHORS = "staff_authors", _("Which staff member saved each answer")
    MEMBER_RESPONSES = "member_responses", _("How many members have answered, and how (online, at a session, on paper, as a meeting)")
    MEMBER_COUNTS = "member_counts", _(
        "How members answered each question, as counts and shares (only from the edition's minimum "
        "number of answers), members' meetings' shared answers, and the members' level made of them"
    )
    MEMBER_FREE_TEXT = "member_free_text", _("What members wrote for the reviewers, without names or dates")
    MEMBER_QUOTES_PROPOSED = "member_quotes_proposed", _("Quotes from members the lead reviewer proposes for the report")
    MEMBER_QUOTES = "member_quotes", _("Quotes from members the service agreed to have in the report")
    MEMBER_EVIDENCE = "member_evidence", _("Evidence members added (before members answered questionnaires)")
    VISIT_PLAN = "visit_plan", _("The visit's date and timetable")
    VISIT_NOTES = "visit_notes", _("Notes for the review team")
    TEAM = "team", _("Who is on the review team")
    OWN_RATINGS = "own_ratings", _("A reviewer's own ratings and comments, draft or submitted")
    REVIEWER_RATINGS = "reviewer_ratings", _("Each reviewer's submitted ratings and comments, with their name")
    REVIEWER_COMMENTS = "reviewer_comments", _("The reviewers' comments, without saying who wrote them")
    REVIEWER_SPREAD = "reviewer_spread", _("The reviewers' median, range and count, and the flags")
    AGREED_RATINGS = "agreed_ratings", _("Agreed ratings, their rationales and the figures made from them")
    STRENGTHS = "strengths", _("Findings: strengths")
    DEVELOPMENT = "development", _("Findings: areas for development")
    URGENT_CONCERNS = "urgent_concerns", _("Urgent concerns")
    ESCALATED_URGENT_CONCERNS = "escalated_urgent_concerns", _("Urgent concerns a network administrator escalated")
    ACTIONS = "actions", _("The action plan agreed in this review, and its progress")
    CARRIED_ACTIONS = "carried_actions", _("Actions carried over from the service's last final review")
    ACCURACY_COMMENTS = "accuracy_comments", _("Comments on factual accuracy and the answers to them")
    CHANGES = "changes", _("Changes to agreed ratings and findings after the draft report: from what, to what, and why")
    RECOMMENDATION = "recommendation", _(
        "The lead reviewer's recommended outcome and reasons, and the administrators' ratifications or returns"
    )
    DECISION = "decision", _("The decision: outcome, rationale, validity")
    FOLLOW_UP = "follow_up", _("A follow-up review after a deferral: its criteria, due date and where it stands")
    FOLLOW_UP_ANSWERS = "follow_up_answers", _("The service's new answers and evidence in a follow-up review")
    FOLLOW_UP_RATINGS = "follow_up_ratings", _("The lead reviewer's new ratings in a follow-up, before its decision")
    APPEAL = "appeal", _("That a decision is under appeal, and the appeal's result")
    APPEAL_GROUNDS = "appeal_grounds", _("An appeal's grounds, its panel, and the panel's reasons")
    INTERIM_REVIEW = "interim_review", _("The interim review at mid-term: what the service says has changed, and the network's note")
    FEEDBACK = "feedback", _("The service's feedback on the visit")
    NETWORK_COMPARISON = "network_comparison", _("The service against the network (final reviews of five or more services)")


class Audience(models.TextChoices):
    """What a person is to a cycle. A person may be several at once."""

    ADMIN = "admin", _("Network administrators")
    LEAD = "lead", _("The service's lead")
    STAFF = "staff", _("The service's staff")
    MEMBER = "member", _("The service's members")
    TEAM = "team", _("The review team")
    TEAM_SUBMITTED = "team_submitted", _("A reviewer once they have submitted their own ratings (or the team rates openly)")
    COMMISSIONER = "commissioner", _("The service's commissioners")


# The stages at which an audience sees a fact.
ALL = frozenset(CycleState.values)
SUBMITTED = ALL - {CycleState.OPEN}
VISIT_ON = frozenset({CycleState.VISIT}) | CycleState.SETTLED
AGREED = CycleState.SETTLED
REPORTED = CycleState.REPORTED
CONCLUDED = CycleState.CONCLUDED

SERVICE = (Audience.LEAD, Audience.STAFF)
SERVICE_AND_MEMBERS = (Audience.LEAD, Audience.STAFF, Audience.MEMBER)


def _entry(*grants):
    """{audience: stages} from (audiences, stages) pairs."""
    policy = {}
    for audiences, stages in grants:
        for audience in (audiences,) if isinstance(audiences, str) else audiences:
            policy[audience] = policy.get(audience, frozenset()) | stages
    return policy


# The policy: fact → {audience → the stages at which that audience sees it}. Nobody else sees it.
POLICY = {
    Fact.STAGE: _entry((Audience.values, ALL)),
    Fact.STAFF_RATINGS: _entry((Audience.ADMIN, ALL), (SERVICE, ALL), (Audience.TEAM, SUBMITTED),
                               (Audience.COMMISSIONER, CONCLUDED)),
    Fact.STAFF_WORDS: _entry((Audience.ADMIN, ALL), (SERVICE, ALL), (Audience.TEAM, SUBMITTED)),
    Fact.STAFF_EVIDENCE: _entry((Audience.ADMIN, ALL), (SERVICE, ALL), (Audience.TEAM, SUBMITTED)),
    Fact.STAFF_AUTHORS: _entry((Audience.ADMIN, ALL), (SERVICE, ALL)),
    Fact.MEMBER_RESPONSES: _entry((Audience.ADMIN, ALL), (SERVICE_AND_MEMBERS, ALL), (Audience.TEAM, ALL),
                                  (Audience.COMMISSIONER, CONCLUDED)),
    # The service sees the counts once the questionnaire has closed: while answers still come in,
    # a count that moves just after someone answered would tell staff what that person said.
    Fact.MEMBER_COUNTS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, SUBMITTED), (SERVICE_AND_MEMBERS, AGREED),
                               (Audience.COMMISSIONER, CONCLUDED)),
    Fact.MEMBER_FREE_TEXT: _entry((Audience.TEAM, SUBMITTED)),
    Fact.MEMBER_QUOTES_PROPOSED: _entry((Audience.TEAM, VISIT_ON), (Audience.LEAD, VISIT_ON)),
    Fact.MEMBER_QUOTES: _entry((Audience.ADMIN, ALL), (Audience.TEAM, VISIT_ON), (SERVICE_AND_MEMBERS, REPORTED),
                               (Audience.COMMISSIONER, CONCLUDED)),
    Fact.MEMBER_EVIDENCE: _entry((Audience.ADMIN, ALL), (SERVICE_AND_MEMBERS, ALL), (Audience.TEAM, SUBMITTED)),
    Fact.VISIT_PLAN: _entry((Audience.ADMIN, ALL), (SERVICE_AND_MEMBERS, ALL), (Audience.TEAM, ALL),
                            (Audience.COMMISSIONER, CONCLUDED)),
    Fact.VISIT_NOTES: _entry((Audience.ADMIN, ALL), (Audience.TEAM, ALL)),
    Fact.TEAM: _entry((Audience.ADMIN, ALL), (SERVICE_AND_MEMBERS, ALL), (Audience.TEAM, ALL),
                      (Audience.COMMISSIONER, CONCLUDED)),
    Fact.OWN_RATINGS: _entry((Audience.TEAM, ALL)),
    Fact.REVIEWER_RATINGS: _entry((Audience.ADMIN, ALL), (Audience.TEAM_SUBMITTED, VISIT_ON),
                                  (Audience.TEAM, AGREED), (SERVICE_AND_MEMBERS, CONCLUDED)),
    Fact.REVIEWER_COMMENTS: _entry((Audience.ADMIN, ALL), (Audience.TEAM_SUBMITTED, VISIT_ON),
                                   (Audience.TEAM, AGREED), (SERVICE_AND_MEMBERS, REPORTED),
                                   (Audience.COMMISSIONER, CONCLUDED)),
    Fact.REVIEWER_SPREAD: _entry((Audience.ADMIN, ALL), (Audience.TEAM_SUBMITTED, VISIT_ON),
                                 (Audience.TEAM, AGREED), (SERVICE_AND_MEMBERS, REPORTED),
                                 (Audience.COMMISSIONER, CONCLUDED)),
    Fact.AGREED_RATINGS: _entry((Audience.ADMIN, ALL), (Audience.TEAM_SUBMITTED, VISIT_ON),
                                (Audience.TEAM, AGREED), (SERVICE_AND_MEMBERS, REPORTED),
                                (Audience.COMMISSIONER, CONCLUDED)),
    Fact.STRENGTHS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, VISIT_ON), (SERVICE_AND_MEMBERS, REPORTED),
                           (Audience.COMMISSIONER, CONCLUDED)),
    Fact.DEVELOPMENT: _entry((Audience.ADMIN, ALL), (Audience.TEAM, VISIT_ON), (SERVICE_AND_MEMBERS, REPORTED),
                             (Audience.COMMISSIONER, CONCLUDED)),
    Fact.URGENT_CONCERNS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, VISIT_ON), (SERVICE, REPORTED)),
    Fact.ESCALATED_URGENT_CONCERNS: _entry((Audience.ADMIN, ALL), (Audience.COMMISSIONER, VISIT_ON)),
    Fact.ACTIONS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, VISIT_ON), (SERVICE_AND_MEMBERS, REPORTED),
                         (Audience.COMMISSIONER, CONCLUDED)),
    Fact.CARRIED_ACTIONS: _entry((Audience.ADMIN, ALL), (SERVICE, ALL), (Audience.TEAM, VISIT_ON),
                                 (Audience.MEMBER, REPORTED), (Audience.COMMISSIONER, CONCLUDED)),
    Fact.ACCURACY_COMMENTS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, REPORTED), (SERVICE, REPORTED)),
    Fact.CHANGES: _entry((Audience.ADMIN, ALL), (Audience.TEAM, REPORTED), (SERVICE_AND_MEMBERS, REPORTED),
                         (Audience.COMMISSIONER, CONCLUDED)),
    Fact.RECOMMENDATION: _entry((Audience.ADMIN, ALL), (Audience.TEAM, REPORTED)),
    Fact.FOLLOW_UP: _entry((Audience.ADMIN, ALL), (Audience.TEAM, CONCLUDED), (SERVICE_AND_MEMBERS, CONCLUDED),
                           (Audience.COMMISSIONER, CONCLUDED)),
    Fact.FOLLOW_UP_ANSWERS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, CONCLUDED), (SERVICE, CONCLUDED)),
    Fact.FOLLOW_UP_RATINGS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, CONCLUDED)),
    Fact.APPEAL: _entry((Audience.ADMIN, ALL), (Audience.TEAM, CONCLUDED), (SERVICE_AND_MEMBERS, CONCLUDED),
                        (Audience.COMMISSIONER, CONCLUDED)),
    Fact.APPEAL_GROUNDS: _entry((Audience.ADMIN, ALL), (Audience.TEAM, CONCLUDED), (SERVICE, CONCLUDED)),
    Fact.INTERIM_REVIEW: _entry((Audience.ADMIN, ALL), (Audience.TEAM, CONCLUDED), (SERVICE, CONCLUDED),
                                (Audience.COMMISSIONER, CONCLUDED)),
    Fact.DECISION: _entry((Audience.ADMIN, ALL), (Audience.TEAM, CONCLUDED), (SERVICE_AND_MEMBERS, CONCLUDED),
                          (Audience.COMMISSIONER, CONCLUDED)),
    Fact.FEEDBACK: _entry((Audience.ADMIN, ALL)),
    Fact.NETWORK_COMPARISON: _entry((Audience.ADMIN, ALL), (Audience.TEAM_SUBMITTED, VISIT_ON),
                                    (Audience.TEAM, AGREED), (SERVICE_AND_MEMBERS, REPORTED),
                                    (Audience.COMMISSIONER, CONCLUDED)),
}

# Fact.values builds a new list on every call; templates ask a Disclosure hundreds of times a page.
FACT_NAMES = frozenset(Fact.values)

SERVICE_ROLES = {
    RoleKind.SERVICE_LEAD: Audience.LEAD,
    RoleKind.STAFF: Audience.STAFF,
    RoleKind.MEMBER: Audience.MEMBER,
    RoleKind.COMMISSIONER: Audience.COMMISSIONER,
}


@dataclass(frozen=True)
class Disclosure:
    """The facts about one cycle that one person sees now."""

    facts: frozenset

    def __contains__(self, fact):
        return fact in self.facts

    def any(self, *facts):
        return any(fact in self.facts for fact in facts)

    def __getattr__(self, name):
        """`disclosed.visit_notes` in a template: whether this fact is disclosed."""
        if name in FACT_NAMES:
            return name in self.facts
        raise AttributeError(name)

    @property
    def key(self):
        """A short stable name of this set of facts, for caches and stored files built for it."""
        return hashlib.sha256(",".join(sorted(self.facts)).encode()).hexdigest()[:16]


NOTHING = Disclosure(frozenset())
# The whole of a report, as a network administrator reads it: every fact but reviewers' drafts,
# what members wrote and the quotes not yet agreed (no report shows those, whoever reads it).
WHOLE_REPORT = Disclosure(frozenset(POLICY) - {Fact.OWN_RATINGS, Fact.MEMBER_FREE_TEXT, Fact.MEMBER_QUOTES_PROPOSED})


def audiences(user, cycle):
    roles = roles_of(user)
    found = {audience for kind, audience in SERVICE_ROLES.items() if roles.holds_for(cycle.service_id, kind)}
    if roles.is_network_admin:
        found.add(Audience.ADMIN)
    place = team_place(user, cycle)
    if place is not None:
        found.add(Audience.TEAM)
        if place.has_submitted or not cycle.independent_ratings:
            found.add(Audience.TEAM_SUBMITTED)
    return frozenset(found)


def disclosure(user, cycle):
    """Everything about this cycle that this person sees now."""
    theirs = audiences(user, cycle)
    if not theirs:
        return NOTHING
    return _disclosed_to(theirs, cycle.state)


@functools.cache
def _disclosed_to(audiences, state):
    """What these audiences see of a cycle at this stage. The policy is fixed, so each of its few
    answers is worked out once: a portfolio asks it for every one of a hundred cycles."""
    return Disclosure(frozenset(
        fact for fact, policy in POLICY.items()
        if any(state in policy.get(audience, ()) for audience in audiences)
    ))


def sees(user, cycle, *facts):
    """Whether the person sees any of these facts about the cycle now."""
    return disclosure(user, cycle).any(*facts)


def discloses(*facts):
    """A rules predicate: the person sees at least one of these facts about the cycle now. The
    stages' rules for pages are made of these, so a page opens for exactly those who may see
    what it shows."""
    return rules.predicate(lambda user, cycle: sees(user, cycle, *facts), name=f"discloses {' or '.join(facts)}")


# --- the policy in words (docs/disclosure.md is generated from this) ---------------------------

STAGE_WORDS = {
    CycleState.OPEN: "the cycle's opening",
    CycleState.SELF_ASSESSMENT_SUBMITTED: "the self-assessment's submission",
    CycleState.VISIT: "the visit",
    CycleState.RATINGS_AGREED: "the agreed ratings",
    CycleState.REPORT_DRAFT: "the draft report",
    CycleState.FINAL: "the final report",
    CycleState.CLOSED: "the cycle's closing",
}


def stages_in_words(stages):
    """"always", "from the visit on", "once the report is final", or the stages one by one."""
    order = list(CycleState.values)
    if set(stages) == set(order):
        return "always"
    first = min(order.index(stage) for stage in stages)
    if set(stages) == set(order[first:]):
        start = order[first]
        return "once the report is final" if start == CycleState.FINAL else f"from {STAGE_WORDS[start]} on"
    return ", ".join(STAGE_WORDS[stage] for stage in order if stage in stages)


def policy_in_words():
    """The whole policy as a Markdown page: each fact, and who sees it when."""
    lines = [
        "# Who sees what, and when",
        "",
        "Generated from `reviews/disclosure.py` by `python manage.py disclosure_policy --output docs/disclosure.md`;",
        "a test fails when this page and the policy differ. Every page, PDF, export, summary, the network",
        "report and every email ask this policy; none decides on its own. Nobody but those listed sees a",
        "fact. A person may be several audiences at once (a network administrator who is also on a team).",
        "",
        "| Fact | Who sees it, and when |",
        "|---|---|",
    ]
    for fact in Fact:
        when = {}
        for audience, stages in POLICY[fact].items():
            when.setdefault(stages_in_words(stages), []).append(str(Audience(audience).label))
        who = "; ".join(f"{', '.join(audiences)}: {phrase}" for phrase, audiences in when.items())
        lines.append(f"| {fact.label} | {who} |")
    lines += ["", "## Rules that go with it", "", *[f"- {rule}" for rule in RULES_IN_WORDS], ""]
    return "\n".join(lines)


RULES_IN_WORDS = [
    "A reviewer's drafts are their own until they submit: no page, report, export, email or audit-log "
    "entry shows them to anyone else, administrators included, and nothing counts them (unless the "
    "cycle's team rates openly). (Network administrators keep the network's records in the "
    "administration pages, where any record can be opened.)",
    "The service reads the reviewers' comments without their names, in an order that says nothing of "
    "who wrote which, until the report is final.",
    "Commissioners see only where a cycle stands until its report is final; an urgent concern reaches "
    "them only when a network administrator escalates it, with a reason, recorded in the audit log and "
    "sent to them by email.",
    "Members see strengths, areas for development and the action plan from the draft report on, never "
    "urgent-concern text, the notes for the review team, the staff's answers or who saved an answer.",
    "A report is built for its reader: each disclosure set has its own copy, cached for drafts and built "
    "once from the frozen data for finals.",
    "Network figures count final reviews only and never describe fewer services than the network's "
    "minimum (five by default); services appear by codes keyed with a secret that change every year, "
    "and nothing ranks them.",
]
