"""Demo peer reviews at every later stage, with realistic ratings, disagreements and actions:

- Harbour Lights: the visit was yesterday; two reviewers have submitted, the lead has not;
- Riverside Hostel: ratings agreed last week, findings and actions recorded, draft not yet sent;
- The Orchard: the draft report is with the service, one accuracy comment answered, one waiting.
Later stages (decisions, Cedar Unit's reviews) are finished in reviews/decisions/demo.py.

Each review runs on a timeline: opened months ago, self-assessment submitted eleven weeks later,
the visit four weeks after that, and so on, each step on its own day (`as_if_on`). Comments, reasons
and findings fit the ratings they sit beside (reviews/peer/demo_words.py).

Built through the domain services, so the demo obeys the same rules as people do. Each review is
built only if its service has no cycle yet: running the seed twice changes nothing.
"""

import datetime
import random
from dataclasses import dataclass
from statistics import median

from django.utils import timezone

from assurance.demo import as_if_on
from reviews.cycles.models import Cycle, CycleState
from reviews.cycles.services import open_cycle
from reviews.members.demo import seed_cycle_members
from reviews.peer import demo_words as words
from reviews.peer.models import AgreedRating, Finding, FindingKind, PeerRating, TeamRole, TimetableKind
from reviews.peer.services import (
    PeerAnswer,
    add_action,
    add_finding,
    add_team_member,
    add_timetable_item,
    agree_rating,
    answer_accuracy_comment,
    comment_on_accuracy,
    finish_agreeing,
    plan_visit,
    rationale_needed,
    same_words,
    save_peer_ratings,
    send_draft_report,
    start_peer_review,
    submit_peer_ratings,
)
from reviews.selfassessment.demo import StaffSelfAssessment, words_for
from reviews.selfassessment.services import submit_self_assessment
from standards.models import EditionStatus

TIMETABLE = [
    (datetime.time(9, 30), datetime.time(10, 0), TimetableKind.ARRIVAL, "Welcome from the service lead"),
    (datetime.time(10, 0), datetime.time(11, 0), TimetableKind.COMMUNITY, "Sit in on the community meeting"),
    (datetime.time(11, 15), datetime.time(12, 15), TimetableKind.MEMBERS, "Members only; staff not present"),
    (datetime.time(12, 15), datetime.time(13, 0), TimetableKind.TOUR, "Led by two members"),
    (datetime.time(13, 45), datetime.time(14, 45), TimetableKind.STAFF, "Front-line staff, including nights"),
    (datetime.time(14, 45), datetime.time(15, 30), TimetableKind.LEADERS, "Service lead and manager"),
    (datetime.time(15, 30), datetime.time(16, 15), TimetableKind.TEAM, "Review team agrees its first view"),
    (datetime.time(16, 15), datetime.time(16, 45), TimetableKind.FEEDBACK, "Headline feedback to everyone"),
]
# The pace of a review: each step and the days since the step before it.
PACE = (("opened", 0), ("submitted", 77), ("visit", 28), ("agreed", 9), ("draft", 14), ("commented", 5),
        ("answered", 4), ("recommended", 10), ("decided", 7), ("closed", 42))
VOICE = {TeamRole.LIVED_EXPERIENCE_REVIEWER: words.LIVED}


@dataclass(frozen=True)
class Timeline:
    """The day of each step of one review."""

    days: dict

    @classmethod
    def reaching(cls, step, on):
        """The timeline whose `step` falls on the day `on`."""
        offsets, total = {}, 0
        for name, gap in PACE:
            total += gap
            offsets[name] = total
        opened = on - datetime.timedelta(days=offsets[step])
        return cls({name: opened + datetime.timedelta(days=offset) for name, offset in offsets.items()})

    def __getitem__(self, step):
        return self.days[step]


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def seed_demo_peer_reviews(services, editions, people):
    """services: name → Service; editions: version → Edition; people: username → User."""
    current = editions["2026.1"]
    sam, chris, morgan = people["reviewer"], people["lived"], people["leadreviewer"]
    jo, lee, nia = people["jo"], people["lee"], people["nia"]
    plans = [
        ("Harbour Lights", CycleState.VISIT, Timeline.reaching("visit", days_ago(1)),
         [(sam, TeamRole.PEER_REVIEWER), (chris, TeamRole.LIVED_EXPERIENCE_REVIEWER), (morgan, TeamRole.LEAD_REVIEWER)],
         11),
        ("Riverside Hostel", CycleState.RATINGS_AGREED, Timeline.reaching("agreed", days_ago(6)),
         [(sam, TeamRole.PEER_REVIEWER), (lee, TeamRole.LIVED_EXPERIENCE_REVIEWER), (nia, TeamRole.LEAD_REVIEWER)], 12),
        ("The Orchard", CycleState.REPORT_DRAFT, Timeline.reaching("answered", days_ago(2)),
         [(jo, TeamRole.PEER_REVIEWER), (chris, TeamRole.LIVED_EXPERIENCE_REVIEWER), (morgan, TeamRole.LEAD_REVIEWER)],
         13),
    ]
    for name, stage, timeline, team, seed in plans:
        service = services[name]
        if not service.cycles.exists():
            Review(service, current, team, people, people["admin"], seed, timeline=timeline).run_to(stage)


class Review:
    """One demo review, moved through the stages by the same services people use, each on its day."""

    def __init__(self, service, edition, team, people, admin, seed, quality=0.65, noise=0.15, timeline=None,
                 agree_at_once=False, accuracy_comments=True):
        """`agree_at_once`: the team's agreed ratings stored in one go, not one by one through the
        service (the slowest step of a review), for reviews nobody watches being agreed."""
        self.service, self.edition, self.team_spec, self.people, self.admin = service, edition, team, people, admin
        self.agree_at_once, self.accuracy_comments = agree_at_once, accuracy_comments
        self.rng = random.Random(seed)
        self.quality = quality
        self.noise = noise
        self.timeline = timeline
        self.lead = next(user for user, place in team if place == TeamRole.LEAD_REVIEWER)
        self.service_lead = service.roles.filter(kind="service_lead").select_related("user").first()
        self.service_lead = self.service_lead.user if self.service_lead else admin
        self.words = words_for(service.sector.name if service.sector_id else "")
        self.written = set()  # each comment once per review: reviewers do not repeat themselves

    def run_to(self, stage):
        """Runs the review up to `stage` (up to the draft report; decisions are the next stage's)."""
        order = [CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT]
        self.timeline = self.timeline or Timeline.reaching(
            {CycleState.VISIT: "visit", CycleState.RATINGS_AGREED: "agreed"}.get(stage, "answered"), days_ago(1))
        self.levels = self.edition.rating_levels
        self.truth = {c.pk: self._true_level(c.tier) for c in self.edition.criteria.all()}
        self._open()
        self._self_assess()
        with as_if_on(self.timeline["submitted"] + datetime.timedelta(days=2)):
            self._plan_visit(self.timeline["visit"])
        with as_if_on(self.timeline["visit"]):
            start_peer_review(self.cycle, started_by=self.admin)
            self._rate(submit_all=stage != CycleState.VISIT)
        steps = {CycleState.RATINGS_AGREED: self._agree, CycleState.REPORT_DRAFT: self._draft}
        for state in order[1: order.index(stage) + 1]:
            steps[state]()
        return self.cycle

    def _open(self):
        opened = self.timeline["opened"]
        dates = {"self_assessment_due": opened + datetime.timedelta(weeks=12),
                 "visit_due": opened + datetime.timedelta(weeks=18)}
        with as_if_on(opened):
            if self.edition.status == EditionStatus.PUBLISHED:
                self.cycle = open_cycle(service=self.service, edition=self.edition, opened_by=self.admin, **dates)
            else:  # last year's review, on the edition that was published then and is retired now
                self.cycle = Cycle.objects.create(service=self.service, edition=self.edition, opened_by=self.admin,
                                                  **dates)
                self.cycle.events.create(actor=self.admin, to_state=CycleState.OPEN)

    # Each criterion has a "true" level the views scatter around: staff a little hopeful,
    # members closer to the ground, reviewers with their own noise.
    def _true_level(self, tier):
        draw = self.rng.random()
        top = len(self.levels) - 1
        if tier == 1 and self.quality >= 0.9:  # a strong service keeps its essentials
            return top
        return top if draw < self.quality else (top - 1 if draw < self.quality + 0.3 else 0)

    def _nudge(self, level, up=0.0, down=0.0):
        draw = self.rng.random()
        if draw < up:
            return min(level + 1, len(self.levels) - 1)
        if draw < up + down:
            return max(level - 1, 0)
        return level

    def _self_assess(self):
        self.staff = {pk: self._nudge(level, 0.3, 0.05) for pk, level in self.truth.items()}
        opened = self.timeline["opened"]
        StaffSelfAssessment(self.cycle, self.service_lead, self.rng, truth=self.staff).answer(opened, at_once=True)
        with as_if_on(opened + datetime.timedelta(weeks=9)):  # members answer while the questionnaire is open
            seed_cycle_members(self.cycle, self.truth, self.people)
        with as_if_on(self.timeline["submitted"]):
            self.cycle = submit_self_assessment(self.cycle, self.service_lead)

    def _plan_visit(self, date):
        visit = plan_visit(self.cycle, date=date, notes="Meet at reception at 9.15. Parking on the street.",
                           planned_by=self.admin)
        for starts, ends, kind, details in TIMETABLE:
            add_timetable_item(visit, starts_at=starts, ends_at=ends, kind=kind, details=details)
        self.members = [add_team_member(self.cycle, user=user, place=place, added_by=self.admin)
                        for user, place in self.team_spec]

    def comment(self, criterion, level, voice):
        """A comment that fits the level, once per review; often none, as reviewers write where it matters."""
        value = words.COMMENTS.get(criterion.value.code)
        band = _band(level, self.levels)
        if value is None or (band == words.MET and self.rng.random() < 0.5):
            return ""
        unused = [text.format(**self.words) for text in value[band][voice]]
        unused = [text for text in unused if text not in self.written]
        chosen = self.rng.choice(unused) if unused else ""
        self.written.add(chosen)
        return chosen

    def _rate(self, submit_all):
        criteria = list(self.edition.criteria.select_related("value").order_by("value__order", "order"))
        for index, member in enumerate(self.members):
            rated = criteria if submit_all or not member.is_lead else criteria[: len(criteria) // 2]
            answers = []
            for criterion in rated:
                if member.role == TeamRole.LIVED_EXPERIENCE_REVIEWER and criterion.rated_by == "staff" and self.rng.random() < 0.5:
                    answers.append(PeerAnswer(criterion.pk, abstained=True, abstain_reason=words.ABSTAIN_REASON))
                    continue
                # A strong service's essentials are plain to see: nobody rates them lower.
                essential = criterion.tier == 1 and self.quality >= 0.9
                level = self._nudge(self.truth[criterion.pk], self.noise, 0 if essential else self.noise + 0.05 * index)
                voice = VOICE.get(member.role, words.PEER)
                answers.append(PeerAnswer(criterion.pk, level_id=self.levels[level].pk,
                                          comment=self.comment(criterion, level, voice)))
            save_peer_ratings(member, answers)
            if submit_all or not member.is_lead:
                submit_peer_ratings(member)

    def agreed_levels(self):
        """{criterion id: the level index the team agrees}: the reviewers' median, rounded down."""
        given = {}
        ratings = PeerRating.objects.filter(team_member__visit__cycle=self.cycle, level__isnull=False)
        for criterion_id, value in ratings.values_list("criterion_id", "level__value"):
            given.setdefault(criterion_id, []).append(value)
        values = [level.value for level in self.levels]
        return {pk: values.index(int(median(given[pk]))) if pk in given else truth for pk, truth in self.truth.items()}

    def rationale(self, level, staff_level):
        """Why the team agreed this level, when it differs from another view: in the level's own terms."""
        reason = self.rng.choice(words.RATIONALES[_band(level, self.levels)]).format(**self.words)
        if staff_level is None or staff_level == level:
            return f"{reason} {words.AS_STAFF.format(**self.words)}"
        return f"{reason} {words.HIGHER_THAN_STAFF if level > staff_level else words.LOWER_THAN_STAFF}"

    def _agree(self):
        with as_if_on(self.timeline["agreed"]):
            self.agreed = self.agreed_levels()
            if self.agree_at_once:
                self._agree_at_once()
            else:
                for criterion in self.edition.criteria.order_by("value__order", "order"):
                    level = self.levels[self.agreed[criterion.pk]]
                    rationale = ""
                    if rationale_needed(self.cycle, criterion, level, False):
                        rationale = self.rationale(self.agreed[criterion.pk], self.staff.get(criterion.pk))
                    agree_rating(self.cycle, criterion=criterion, level=level, not_applicable=False,
                                 rationale=rationale, agreed_by=self.lead, base_version=0)
            finish_agreeing(self.cycle, finished_by=self.lead)
            self._findings_and_actions()

    def _agree_at_once(self):
        """Every agreed rating in one go, with a reason where it differs from the staff's own rating
        or the reviewers differed among themselves."""
        spread = {}
        for pk, value in PeerRating.objects.filter(team_member__visit__cycle=self.cycle, level__isnull=False) \
                .values_list("criterion_id", "level__value"):
            spread.setdefault(pk, set()).add(value)
        agreed = []
        for pk, level in self.agreed.items():
            staff = self.staff.get(pk)
            differs = (staff is not None and staff != level) or len(spread.get(pk, ())) > 1
            agreed.append(AgreedRating(cycle=self.cycle, criterion_id=pk, level=self.levels[level], version=1,
                                       agreed_by=self.lead, rationale=self.rationale(level, staff) if differs else ""))
        AgreedRating.objects.bulk_create(agreed)

    def findings_to_record(self):
        """[(kind, text, criterion, (action, owner) or None)]: strengths where the team agreed the top
        level, areas for development where it did not, each about its criterion."""
        criteria = {c.code: c for c in self.edition.criteria.all()}
        top = len(self.levels) - 1
        met = [code for code in words.STRENGTHS if code in criteria and self.agreed[criteria[code].pk] == top]
        unmet = [code for code in words.DEVELOPMENTS if code in criteria and self.agreed[criteria[code].pk] < top]
        found = [(FindingKind.STRENGTH, words.STRENGTHS[code], criteria[code], None)
                 for code in self.rng.sample(met, min(3, len(met)))]
        for code in self.rng.sample(unmet, min(3, len(unmet))):
            text, action, owner = words.DEVELOPMENTS[code]
            found.append((FindingKind.DEVELOPMENT, text, criteria[code], (action, owner)))
        weakest = min(criteria.values(), key=lambda c: (self.agreed[c.pk], c.code))
        if not unmet and self.agreed[weakest.pk] < top:  # none of the usual areas: one about the weakest
            found.append((FindingKind.DEVELOPMENT, words.GENERAL_DEVELOPMENT[0], weakest,
                          words.GENERAL_DEVELOPMENT[1:]))
        return [(kind, text.format(**self.words), criterion, plan and tuple(p.format(**self.words) for p in plan))
                for kind, text, criterion, plan in found]

    def _findings_and_actions(self):
        agreed_on = self.timeline["agreed"]
        # The first action was due soon after the visit, and is now overdue; the others are later.
        dues = [agreed_on + datetime.timedelta(days=days) for days in (10, 10 * 7, 20 * 7)]
        plans = []
        for kind, text, criterion, plan in self.findings_to_record():
            finding = add_finding(self.cycle, kind=kind, text=text, criterion=criterion, added_by=self.lead)
            if plan:
                plans.append((*plan, finding, criterion))
        if len(plans) < len(dues):
            plans.append(("Renew contact with local groups and services outside, with two members leading it.",
                          "Activities coordinator", None, None))
        in_plan = {same_words(text) for text in self.cycle.actions.values_list("description", flat=True)}
        for (description, owner, finding, criterion), due in zip(plans, dues, strict=False):
            if same_words(description) in in_plan:  # carried over from last year's review
                continue
            add_action(self.cycle, description=description, owner=owner, due_date=due, finding=finding,
                       criterion=None if finding else criterion, added_by=self.lead)

    def _draft(self):
        with as_if_on(self.timeline["draft"]):
            send_draft_report(self.cycle, sent_by=self.lead)
        if self.accuracy_comments:
            self._accuracy_comments()

    def _accuracy_comments(self):
        with as_if_on(self.timeline["commented"]):
            first_agreed = self.cycle.agreed_ratings.select_related("criterion").order_by("criterion__code").first()
            comment_on_accuracy(self.cycle, criterion=first_agreed.criterion, by=self.service_lead,
                                text="The report says the buddy scheme is new; it has run since last spring, and the "
                                     "induction records show it.")
            finding = Finding.objects.filter(cycle=self.cycle, kind=FindingKind.DEVELOPMENT).first()
            if finding is not None:
                comment_on_accuracy(self.cycle, finding=finding, by=self.service_lead,
                                    text="This has changed since the visit: we started on it in the autumn, and the "
                                         "minutes of the last two team meetings show it.")
        with as_if_on(self.timeline["answered"]):
            first = self.cycle.accuracy_comments.order_by("pk").first()
            answer_accuracy_comment(first, by=self.lead, response="Thank you: we have checked the induction records "
                                                                   "and corrected the wording. The rating stands.")


def _band(level, levels):
    """MET, PARTLY or NOT_MET for a level's index, whatever the edition's number of levels."""
    return words.MET if level == len(levels) - 1 else (words.NOT_MET if level == 0 else words.PARTLY)
