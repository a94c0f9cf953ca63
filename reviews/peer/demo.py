"""Demo peer reviews at every later stage, with realistic ratings, disagreements and actions:

- Harbour Lights: the visit is under way; two reviewers have submitted, the lead has not;
- Riverside Hostel: ratings agreed, findings and actions recorded, draft not yet sent;
- The Orchard: the draft report is with the service, one accuracy comment answered, one waiting;
- Cedar Unit: final, with a decision, after an earlier closed cycle whose open actions carried over.

Built through the domain services, so the demo obeys the same rules as people do. Each review is
built only if its service has no cycle yet: running the seed twice changes nothing.
"""

import datetime
import random
from statistics import median

from django.db.models import F
from django.utils import timezone

from reviews.cycles.models import Cycle, CycleState
from reviews.cycles.services import open_cycle
from reviews.members.demo import seed_cycle_members
from reviews.members.models import MemberResponse
from reviews.peer.models import (
    Action,
    ActionStatus,
    Decision,
    DecisionOutcome,
    Finding,
    FindingKind,
    PeerRating,
    TeamRole,
    TimetableKind,
    Visit,
)
from reviews.peer.queries import decision_for
from reviews.peer.services import (
    PeerAnswer,
    add_action,
    add_finding,
    add_team_member,
    add_timetable_item,
    agree_rating,
    answer_accuracy_comment,
    close_cycle,
    comment_on_accuracy,
    finish_agreeing,
    give_feedback,
    plan_visit,
    rationale_needed,
    record_decision,
    save_peer_ratings,
    send_draft_report,
    start_peer_review,
    submit_peer_ratings,
    update_action,
)
from reviews.selfassessment.demo import STAFF_NOTES
from reviews.selfassessment.models import Perspective, SelfRating
from reviews.selfassessment.queries import criteria_for
from reviews.selfassessment.services import submit_self_assessment
from standards.models import EditionStatus

REVIEWER_COMMENTS = [
    "Members we met described this in their own words, with examples from the last month.",
    "Staff spoke about it readily; the minutes we read bear it out.",
    "We saw this in the community meeting we sat in on.",
    "Patchy: day staff do this well, but members said nights are different.",
    "We found little sign of it beyond the policy document.",
    "A real strength: several members raised it without being asked.",
]
STRENGTHS = [
    "Members chair the community meeting in turn, and decisions made there are acted on within the week.",
    "Staff and members eat together daily; relationships are warm and people are known as individuals.",
    "The 'you said, we did' board is current and members could point to changes they had asked for.",
]
DEVELOPMENT = [
    "Night staff are not yet part of reflective practice, and members notice the difference at night.",
    "The complaints route is written for staff, not members; members were unsure how to use it.",
    "Links with local groups and services outside have lapsed since the pandemic.",
]
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


def seed_demo_peer_reviews(services, editions, people):
    """services: name → Service; editions: version → Edition; people: username → User."""
    current, earlier = editions["2026.1"], editions.get("2025.1")
    admin = people["admin"]
    sam, chris, morgan = people["reviewer"], people["lived"], people["leadreviewer"]
    jo, lee, nia = people["jo"], people["lee"], people["nia"]
    plans = [
        ("Harbour Lights", current, CycleState.VISIT, [(sam, TeamRole.PEER_REVIEWER),
         (chris, TeamRole.LIVED_EXPERIENCE_REVIEWER), (morgan, TeamRole.LEAD_REVIEWER)], 11),
        ("Riverside Hostel", current, CycleState.RATINGS_AGREED, [(sam, TeamRole.PEER_REVIEWER),
         (lee, TeamRole.LIVED_EXPERIENCE_REVIEWER), (nia, TeamRole.LEAD_REVIEWER)], 12),
        ("The Orchard", current, CycleState.REPORT_DRAFT, [(jo, TeamRole.PEER_REVIEWER),
         (chris, TeamRole.LIVED_EXPERIENCE_REVIEWER), (morgan, TeamRole.LEAD_REVIEWER)], 13),
    ]
    for name, edition, stage, team, seed in plans:
        service = services[name]
        if not service.cycles.exists():
            Review(service, edition, team, people, admin, seed).run_to(stage)
    cedar = services["Cedar Unit"]
    if not cedar.cycles.exists():
        cedar_team = [(sam, TeamRole.PEER_REVIEWER), (lee, TeamRole.LIVED_EXPERIENCE_REVIEWER),
                      (nia, TeamRole.LEAD_REVIEWER)]
        if earlier is not None:
            last_year = Review(cedar, earlier, cedar_team, people, admin, seed=14, quality=0.55)
            last_year.run_to(CycleState.CLOSED)
            last_year.backdate(days=365)
        Review(cedar, current, cedar_team, people, admin, seed=15, quality=0.93, noise=0.02).run_to(CycleState.FINAL)


class Review:
    """One demo review, moved through the stages by the same services people use."""

    def __init__(self, service, edition, team, people, admin, seed, quality=0.65, noise=0.15):
        self.service, self.edition, self.team_spec, self.people, self.admin = service, edition, team, people, admin
        self.rng = random.Random(seed)
        self.quality = quality
        self.noise = noise
        self.lead = next(user for user, place in team if place == TeamRole.LEAD_REVIEWER)
        self.service_lead = service.roles.filter(kind="service_lead").select_related("user").first()
        self.service_lead = self.service_lead.user if self.service_lead else admin

    def run_to(self, stage):
        order = [CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT, CycleState.FINAL,
                 CycleState.CLOSED]
        today = timezone.localdate()
        dates = {"self_assessment_due": today - datetime.timedelta(weeks=8),
                 "visit_due": today + datetime.timedelta(weeks=2)}
        if self.edition.status == EditionStatus.PUBLISHED:
            self.cycle = open_cycle(service=self.service, edition=self.edition, opened_by=self.admin, **dates)
        else:  # last year's review, on the edition that was published then and is retired now
            self.cycle = Cycle.objects.create(service=self.service, edition=self.edition, opened_by=self.admin, **dates)
            self.cycle.events.create(actor=self.admin, to_state=CycleState.OPEN)
        self.levels = self.edition.rating_levels
        self.truth = {c.pk: self._true_level(c.tier) for c in self.edition.criteria.all()}
        self._self_assess()
        self._plan_visit(today - datetime.timedelta(days=7))
        start_peer_review(self.cycle, started_by=self.admin)
        self._rate(submit_all=stage != CycleState.VISIT)
        steps = {
            CycleState.RATINGS_AGREED: self._agree,
            CycleState.REPORT_DRAFT: self._draft,
            CycleState.FINAL: self._decide,
            CycleState.CLOSED: lambda: close_cycle(self.cycle, closed_by=self.admin),
        }
        for state in order[1: order.index(stage) + 1]:
            steps[state]()
        return self.cycle

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
        for criterion in criteria_for(self.edition, Perspective.STAFF):
            SelfRating.objects.create(
                cycle=self.cycle, criterion=criterion, perspective=Perspective.STAFF,
                level=self.levels[self._nudge(self.truth[criterion.pk], 0.3, 0.05)],
                narrative=self.rng.choice(STAFF_NOTES), version=1, updated_by=self.service_lead,
            )
        seed_cycle_members(self.cycle, self.truth, self.people)  # while the questionnaire is open
        self.cycle = submit_self_assessment(self.cycle, self.service_lead)

    def _plan_visit(self, date):
        visit = plan_visit(self.cycle, date=date, notes="Meet at reception at 9.15. Parking on the street.",
                           planned_by=self.admin)
        for starts, ends, kind, details in TIMETABLE:
            add_timetable_item(visit, starts_at=starts, ends_at=ends, kind=kind, details=details)
        self.members = [add_team_member(self.cycle, user=user, place=place, added_by=self.admin)
                        for user, place in self.team_spec]

    def _rate(self, submit_all):
        criteria = list(self.edition.criteria.order_by("value__order", "order"))
        for index, member in enumerate(self.members):
            rated = criteria if submit_all or not member.is_lead else criteria[: len(criteria) // 2]
            answers = []
            for criterion in rated:
                if member.role == TeamRole.LIVED_EXPERIENCE_REVIEWER and criterion.rated_by == "staff" and self.rng.random() < 0.5:
                    answers.append(PeerAnswer(criterion.pk, abstained=True,
                                              abstain_reason="Staff supervision was not something I could see on the day."))
                    continue
                level = self._nudge(self.truth[criterion.pk], self.noise, self.noise + 0.05 * index)
                answers.append(PeerAnswer(criterion.pk, level_id=self.levels[level].pk,
                                          comment=self.rng.choice(REVIEWER_COMMENTS)))
            save_peer_ratings(member, answers)
            if submit_all or not member.is_lead:
                submit_peer_ratings(member)

    def _agree(self):
        ratings = {}
        for rating in PeerRating.objects.filter(team_member__visit__cycle=self.cycle).select_related("level"):
            ratings.setdefault(rating.criterion_id, []).append(rating.level.value if rating.level_id else None)
        for criterion in self.edition.criteria.order_by("value__order", "order"):
            given = [v for v in ratings.get(criterion.pk, []) if v is not None]
            value = int(median(given) // 1) if given else self.truth[criterion.pk]
            level = self.levels[value]
            rationale = ""
            if rationale_needed(self.cycle, criterion, level, False):
                rationale = ("The team weighed what members told us in their own meeting alongside the staff account; "
                             f"we agreed on {level.label.lower()} because the practice is not yet consistent across shifts.")
            agree_rating(self.cycle, criterion=criterion, level=level, not_applicable=False, rationale=rationale,
                         agreed_by=self.lead, base_version=0)
        finish_agreeing(self.cycle, finished_by=self.lead)
        for text in self.rng.sample(STRENGTHS, 2):
            add_finding(self.cycle, kind=FindingKind.STRENGTH, text=text, criterion=None, added_by=self.lead)
        developments = [add_finding(self.cycle, kind=FindingKind.DEVELOPMENT, text=text, criterion=None,
                                    added_by=self.lead) for text in self.rng.sample(DEVELOPMENT, 2)]
        today = timezone.localdate()
        plans = [
            ("Include night staff in monthly reflective practice, starting with the next rota.", "Deputy manager",
             today - datetime.timedelta(days=10), developments[0]),
            ("Rewrite the complaints leaflet with members, in plain words, and go through it at induction.",
             "Service lead with two members", today + datetime.timedelta(days=45), developments[1]),
            ("Renew contact with the local library and the allotment society.", "Activities coordinator",
             today + datetime.timedelta(days=90), None),
        ]
        for description, owner, due, finding in plans:
            add_action(self.cycle, description=description, owner=owner, due_date=due, finding=finding,
                       added_by=self.lead)

    def _draft(self):
        send_draft_report(self.cycle, sent_by=self.lead)
        first_agreed = self.cycle.agreed_ratings.select_related("criterion").order_by("criterion__code").first()
        comment_on_accuracy(self.cycle, criterion=first_agreed.criterion, by=self.service_lead,
                            text="The report says the buddy scheme is new; it has run since last spring, and the "
                                 "induction records show it.")
        finding = Finding.objects.filter(cycle=self.cycle, kind=FindingKind.DEVELOPMENT).first()
        comment_on_accuracy(self.cycle, finding=finding, by=self.service_lead,
                            text="Night staff did attend reflective practice twice in the last quarter; the dates "
                                 "are in the practice folder.")
        first = self.cycle.accuracy_comments.order_by("pk").first()
        answer_accuracy_comment(first, by=self.lead, response="Thank you: we have checked the induction records "
                                                               "and corrected the wording. The rating stands.")

    def _decide(self):
        for comment in self.cycle.accuracy_comments.filter(responded_at__isnull=True):
            answer_accuracy_comment(comment, by=self.lead, response="Noted and reflected in the final wording.")
        for action in Action.objects.filter(cycle=self.cycle).order_by("due_date")[:1]:
            update_action(action, status=ActionStatus.IN_PROGRESS, note="Two night staff joined this month.",
                          updated_by=self.service_lead, may_verify=False)
        computed = decision_for(self.cycle)
        record_decision(
            self.cycle,
            outcome=DecisionOutcome.AWARDED if computed.recommended else DecisionOutcome.DEFERRED,
            rationale=("The agreed ratings meet the award rule. The panel notes the strength of members' voice."
                       if computed.recommended else
                       "Tier 1 criteria are not all met yet. The panel defers the award for six months, "
                       "with the action plan as the route back."),
            valid_until=timezone.localdate() + datetime.timedelta(days=3 * 365) if computed.recommended else None,
            recorded_by=self.admin,
        )
        give_feedback(self.cycle, given_by=self.service_lead, visit_rating=5, team_rating=4,
                      went_well="The team listened to members first and fed back honestly on the day.",
                      could_improve="We would have liked the draft report a week sooner.")

    def backdate(self, days):
        """Moves this review into the past, for trends across cycles."""
        shift = datetime.timedelta(days=days)
        cycle = self.cycle
        type(cycle).objects.filter(pk=cycle.pk).update(opened_at=cycle.opened_at - shift)
        cycle.events.update(at=F("at") - shift)
        Visit.objects.filter(cycle=cycle).update(date=F("date") - shift)
        MemberResponse.objects.filter(cycle=cycle).update(received_on=F("received_on") - shift)
        Action.objects.filter(cycle=cycle).update(due_date=F("due_date") - shift)
        Decision.objects.filter(cycle=cycle).update(
            recorded_at=F("recorded_at") - shift, valid_until=F("valid_until") - shift
        )
