"""The members' voice in the demo: what members answered, in every way they can, taken in through
the same services people use (sessions are made here, so that their codes are the same every run).

- Elm House: no responses yet;
- Kestrel Wing: 3 responses (too few to show) at a tablet session that stays open with the code
  DEMO2026, so anyone can try the questionnaire without signing in; the demo member has not answered;
- Larchfield Community: 22 responses: one online (Ash, the demo's second member), a community
  meeting and returned paper copies;
- Harbour Lights: 12 at a residents' meeting, and the meeting's shared answers as a group;
- Riverside Hostel: a house meeting and paper copies; The Orchard: 4 young people (too few to show);
- Cedar Unit: 25, mostly Yes (a strong service); last year, a members' meeting's shared answers;
- the rest of the network: a meeting's worth of answers each year (none shown at Linden Lodge, a small home).

Each member's answers follow the criterion's "true" level, which the staff's and reviewers' views
scatter around too, so the three voices tell one story. Random draws are seeded by the service.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from assurance.demo import as_if_on, refresh_planner_statistics
from reviews.cycles.models import Cycle, CycleState
from reviews.members.models import QuestionnaireSession
from reviews.members.queries import member_questions
from reviews.members.services import (
    CODE_ALPHABET,
    CODE_LENGTH,
    answer_as_member,
    answer_at_session,
    close_questionnaire_session,
    enter_paper_response,
    record_group_response,
    set_members_stated,
)
from reviews.selfassessment.models import Perspective, SelfRating

DEMO_SESSION_CODE = "DEMO2026"
DEMO_SESSION_NOTE = (
    f"Members' questionnaire without signing in: /questionnaire/{DEMO_SESSION_CODE}/ "
    f"(Kestrel Wing; code {DEMO_SESSION_CODE})"
)


@dataclass(frozen=True)
class Plan:
    """How a cycle's members answered."""

    stated: int  # the service's stated number of members
    session: int = 0  # responses at a questionnaire session
    session_name: str = ""
    keep_open: bool = False  # the session stays open for a year, with the demo's known code
    paper: int = 0  # paper copies typed in by staff
    online: tuple = ()  # usernames of members who answered signed in
    meeting: int | None = None  # the size of a members' meeting that answered as a group
    critical: float = 0.15  # the chance that a member sees things a step worse than they are


PLANS = {
    ("Elm House", "2026.1"): Plan(stated=24),
    ("Kestrel Wing", "2026.1"): Plan(
        stated=40, session=3, session_name="Tablet in the wing office, this term", keep_open=True
    ),
    ("Larchfield Community", "2026.1"): Plan(
        stated=28, session=14, session_name="Community meeting, Tuesday", paper=7, online=("member2",)
    ),
    ("Harbour Lights", "2026.1"): Plan(stated=30, session=12, session_name="Residents' meeting in the day centre", meeting=7),
    ("Riverside Hostel", "2026.1"): Plan(stated=20, session=5, session_name="House meeting drop-in", paper=6),
    ("The Orchard", "2026.1"): Plan(stated=5, session=4, session_name="Young people's evening"),
    ("Cedar Unit", "2026.1"): Plan(
        stated=32, session=19, session_name="Unit community meeting", paper=6, critical=0.08
    ),
    ("Cedar Unit", "2025.1"): Plan(stated=30, meeting=9),
    ("Fernside House", "2026.1"): Plan(stated=20, session=9, session_name="House meeting", paper=3),
    # A prison wing: most members answer on paper, handed out and collected on the landings.
    ("Beacon Wing", "2026.1"): Plan(stated=60, session=8, session_name="Wing forum", paper=21),
    ("Millbrook Community", "2025.1"): Plan(stated=16, session=12, session_name="Community meeting", meeting=6),
    # The rest of the network (reviews/decisions/demo_network.py), last year and this.
    **{(name, version): Plan(stated=stated, session=answered, session_name=meeting)
       for name, stated, meeting in [
           ("Heron Ward", 16, "Morning planning meeting"), ("Linden Lodge", 4, "House meeting"),
           ("Quayside Project", 22, "Residents' meeting"), ("Ashdown Community", 24, "Community meeting"),
           ("Granite Wing", 30, "Wing forum"), ("Wyvern House", 26, "House meeting"),
           ("Sable Ward", 20, "Ward community meeting")]
       for version, answered in [("2025.1", min(stated, 7)), ("2026.1", min(stated, 9))]},
}

# Yes, Sometimes, No, Don't know: how members answer where the truth is at the top level, in the
# middle, or at the bottom.
ANSWERS = ("yes", "sometimes", "no", "dont_know")
WEIGHTS = {"top": (84, 10, 1, 5), "middle": (30, 42, 18, 10), "bottom": (8, 30, 52, 10)}
SKIPPED = 0.06  # the chance of leaving a question out
WRITES = 0.35  # the chance of writing something in "anything else"

GOOD_WORDS = [
    "Staff here actually listen. When I came in someone sat with me the whole first evening.",
    "The community meeting is the best bit of the week. We decided the new kitchen rota ourselves.",
    "I feel safer here than anywhere I have been before.",
    "My key worker always turns up when she says she will. That matters to me.",
    "We get a say in things. The garden was our idea and now it is open every evening.",
    "People know my name and ask how my family is.",
    "It is not perfect but you can tell staff care about us.",
    "When I was in a bad way they did not just write me up. They asked what was going on.",
]
HARD_WORDS = [
    "Nights are different. Some night staff do not talk to us at all.",
    "Agency staff do not know us or the rules, so things change depending on who is on.",
    "I put in a complaint two months ago and nobody has got back to me.",
    "The meetings are fine but the same few people do all the talking.",
    "Nobody explained the rules to me properly when I arrived. I had to learn them from others.",
    "Activities get cancelled a lot when they are short staffed.",
    "I do not always understand the letters about my plan. Could someone go through them with me?",
]
MEETING_WORDS = (
    "We talked about these questions together at our meeting. Most of us feel listened to, but we want "
    "the night staff to come to the community meeting too."
)


def seed_demo_member_voices(services, people):
    """The members' voice for the cycles still in self-assessment, whose staff answers give the truth:
    members answered over the weeks since the cycle opened (here, as if most of that time ago)."""
    for name in ("Elm House", "Kestrel Wing", "Larchfield Community"):
        cycle = Cycle.objects.filter(service=services[name]).exclude(state=CycleState.CLOSED).select_related(
            "edition", "service"
        ).first()
        if cycle is not None:
            rng = random.Random(f"members of {name}")
            opened = timezone.localdate(cycle.opened_at)
            with as_if_on(opened + (timezone.localdate() - opened) * 0.7):
                seed_cycle_members(cycle, _truth_from_staff(cycle, rng), people, rng)


def seed_cycle_members(cycle, truth, people, rng=None):
    """The planned responses for this cycle, unless it has members' responses or sessions already.
    `truth`: {criterion id: index of its true level}; `people`: users by username."""
    plan = PLANS.get((cycle.service.name, cycle.edition.version))
    if plan is None or cycle.member_responses.exists() or cycle.questionnaire_sessions.exists():
        return
    rng = rng or random.Random(f"members of {cycle.service.name} {cycle.edition.version}")
    if cycle.members_stated is None:
        set_members_stated(cycle, plan.stated)
    answerer = _Answerer(cycle, truth, plan, rng)
    for username in plan.online:
        answer_as_member(cycle, people[username], *answerer.response())
    if plan.session:
        session = _session(cycle, plan, rng)
        for _number in range(plan.session):
            answer_at_session(session, {}, *answerer.response())  # each on a device of its own
        if not plan.keep_open:
            close_questionnaire_session(session)
    today = timezone.localdate()
    for _number in range(plan.paper):
        answers, words = answerer.response()
        enter_paper_response(cycle, answers, words, received_on=today - datetime.timedelta(days=rng.randint(1, 21)))
    if plan.meeting:
        record_group_response(cycle, answerer.meeting(), MEETING_WORDS, plan.meeting)
    refresh_planner_statistics()  # the next cycle's seeding reads these answers back


class _Answerer:
    """Members' answers that follow the truth, each member a little differently."""

    def __init__(self, cycle, truth, plan, rng):
        self.questions = member_questions(cycle.edition)
        self.top = len(cycle.edition.rating_levels) - 1
        self.truth, self.plan, self.rng = truth, plan, rng
        self.written = set()  # each thing members wrote once per cycle: real people do not write alike

    def _band(self, criterion, step_down=0):
        level = max(self.truth.get(criterion.pk, self.top) - step_down, 0)
        return "top" if level >= self.top else ("bottom" if level == 0 else "middle")

    def response(self):
        """({criterion id: answer}, anything else) for one member."""
        step_down = 1 if self.rng.random() < self.plan.critical else 0
        answers = {}
        for criterion in self.questions:
            if self.rng.random() < SKIPPED:
                answers[criterion.pk] = ""
                continue
            answers[criterion.pk] = self.rng.choices(ANSWERS, weights=WEIGHTS[self._band(criterion, step_down)])[0]
        words = ""
        if self.rng.random() < WRITES:
            given = [answer for answer in answers.values() if answer]
            happy = given and given.count("yes") / len(given) >= 0.6
            unused = [text for text in (GOOD_WORDS if happy else HARD_WORDS) if text not in self.written]
            words = self.rng.choice(unused) if unused else ""
            self.written.add(words)
        return answers, words

    def meeting(self):
        """A members' meeting's shared answers: what most would say, and the odd question left open."""
        shared = {"top": "yes", "middle": "sometimes", "bottom": "no"}
        return {
            criterion.pk: "" if self.rng.random() < SKIPPED else shared[self._band(criterion)]
            for criterion in self.questions
        }


def _truth_from_staff(cycle, rng):
    """The staff's own levels, which members often see a step lower; a guess where staff said nothing."""
    levels = [level.pk for level in cycle.edition.rating_levels]
    top = len(levels) - 1
    truth = {}
    staff = SelfRating.objects.filter(cycle=cycle, perspective=Perspective.STAFF, level__isnull=False)
    for criterion_id, level_id in staff.values_list("criterion_id", "level_id"):
        truth[criterion_id] = max(levels.index(level_id) - (rng.random() < 0.25), 0)
    for criterion in member_questions(cycle.edition):
        if criterion.pk not in truth:
            draw = rng.random()
            truth[criterion.pk] = top if draw < 0.6 else (top - 1 if draw < 0.9 else 0)
    return truth


def _session(cycle, plan, rng):
    """A questionnaire session: the demo's known code kept open for a year, or one for a meeting
    today (closed once its members have answered)."""
    now = timezone.now()
    lead = cycle.service.roles.filter(kind="service_lead").select_related("user").first()
    if plan.keep_open:
        code, closes_at = DEMO_SESSION_CODE, now + datetime.timedelta(days=365)
    else:
        code, closes_at = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)), now + datetime.timedelta(hours=2)
    return QuestionnaireSession.objects.create(
        cycle=cycle, code=code, name=plan.session_name, opens_at=now - datetime.timedelta(hours=1),
        closes_at=closes_at, opened_by=lead.user if lead else cycle.opened_by,
    )
