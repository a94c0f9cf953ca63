"""A review and its stages for tests: the home service's cycle, criteria and levels by code and
label, a peer review moved from stage to stage by the same services people use, and settled
reviews of other services to make a network."""

import datetime

from django.urls import reverse
from django.utils import timezone

from reviews.models import (
    AgreedRating,
    Channel,
    Cycle,
    CycleEvent,
    CycleState,
    DecisionOutcome,
    FindingKind,
    PeerRating,
    Perspective,
    SelfRating,
    TeamMember,
    TeamRole,
)
from reviews.peer.services import (
    PeerAnswer,
    add_action,
    add_finding,
    add_team_member,
    agree_rating,
    answer_accuracy_comment,
    close_cycle,
    comment_on_accuracy,
    finish_agreeing,
    record_decision,
    save_peer_ratings,
    send_draft_report,
    start_peer_review,
    submit_peer_ratings,
)
from standards.models import Criterion, RatingLevel
from tests.factories import (
    CycleFactory,
    MemberResponseFactory,
    RegionFactory,
    SectorFactory,
    ServiceFactory,
    TeamMemberFactory,
    VisitFactory,
    build_edition,
)

STAFF, MEMBERS = Perspective.STAFF, Perspective.MEMBERS
NA = "na"
ABSTAIN = "abstain"

# Where each persona sits on the team of the home service's review.
TEAM = {
    "reviewer": TeamRole.PEER_REVIEWER,
    "lived_experience_reviewer": TeamRole.LIVED_EXPERIENCE_REVIEWER,
    "lead_reviewer": TeamRole.LEAD_REVIEWER,
}
STAGES = [
    CycleState.SELF_ASSESSMENT_SUBMITTED,
    CycleState.VISIT,
    CycleState.RATINGS_AGREED,
    CycleState.REPORT_DRAFT,
    CycleState.FINAL,
    CycleState.CLOSED,
]


# --- the cycle, its criteria and levels -------------------------------------------------------


def home_cycle(personas, edition=None, **fields):
    """An open cycle of the home service. The default edition has four values of three criteria:
    V<n>.1 rated by staff, V<n>.2 by members and V<n>.3 by both, each level Not met / Partly met / Met."""
    edition = edition or build_edition(values=4, criteria_per_value=3)
    return CycleFactory(service=personas.home, edition=edition, opened_by=personas.admin, **fields)


def criterion(cycle, code):
    return Criterion.objects.get(edition=cycle.edition, code=code)


def level(cycle, label):
    return RatingLevel.objects.get(edition=cycle.edition, label=label)


def levels(cycle):
    """The cycle's edition's levels, lowest first."""
    return list(RatingLevel.objects.filter(edition=cycle.edition).order_by("value"))


def put_on_review_team(cycle, *people):
    visit = getattr(cycle, "visit", None) or VisitFactory(cycle=cycle)
    for person in people:
        TeamMemberFactory(visit=visit, user=person)
    return visit


# --- a review moved through its stages --------------------------------------------------------


class PeerReview:
    """The review of the personas' home service. Its team: personas.reviewer (peer reviewer),
    personas.lived_experience_reviewer and personas.lead_reviewer (lead). Every step goes
    through the domain services, so the review obeys the rules people do."""

    def __init__(self, personas, edition=None, **cycle_fields):
        self.personas = personas
        self.admin = personas.admin
        self.cycle = home_cycle(personas, edition=edition, **cycle_fields)
        self.levels = list(self.cycle.edition.levels.order_by("value"))

    # the self-assessment

    def self_rate(self, code, label, perspective=STAFF, **fields):
        """A stored self-assessment answer: a level's label or NA."""
        chosen = None if label == NA else level(self.cycle, label)
        return SelfRating.objects.create(
            cycle=self.cycle, criterion=criterion(self.cycle, code), perspective=perspective, level=chosen,
            not_applicable=label == NA, not_applicable_reason="It does not apply here." if label == NA else "",
            narrative=fields.pop("narrative", f"What shows {code}."), version=1,
            updated_by=self.personas.staff if perspective == STAFF else self.personas.member, **fields,
        )

    def members_answer(self, code, *answers, channel=Channel.ACCOUNT, **fields):
        """Members' responses to the criterion `code`, one per answer ("yes", "sometimes", "no",
        "dont_know"); e.g. members_answer("V1.2", *["yes"] * 6, "no")."""
        question = criterion(self.cycle, code)
        return [
            MemberResponseFactory(cycle=self.cycle, channel=channel, answers={question: answer}, **fields)
            for answer in answers
        ]

    def submit_self_assessment(self):
        Cycle.objects.filter(pk=self.cycle.pk).update(
            state=CycleState.SELF_ASSESSMENT_SUBMITTED, submitted_at=timezone.now(), submitted_by=self.personas.lead
        )
        CycleEvent.objects.create(
            cycle=self.cycle, actor=self.personas.lead, from_state=CycleState.OPEN,
            to_state=CycleState.SELF_ASSESSMENT_SUBMITTED,
        )
        return self.refresh()

    # the team and the visit

    def build_team(self, **places):
        """Puts the personas on the team (names → place; the three reviewers by default)."""
        for name, place in (places or TEAM).items():
            add_team_member(self.cycle, user=getattr(self.personas, name), place=place, added_by=self.admin)
        return self

    def start(self):
        start_peer_review(self.cycle, started_by=self.admin)
        return self.refresh()

    def member(self, person):
        return TeamMember.objects.get(visit__cycle=self.cycle, user=person)

    # ratings

    def rate(self, person, ratings, submit=False):
        """ratings: code → a level's label, NA, or (ABSTAIN, reason)."""
        place = self.member(person)
        answers = []
        for code, choice in ratings.items():
            pk = criterion(self.cycle, code).pk
            if isinstance(choice, tuple):
                answers.append(PeerAnswer(pk, abstained=True, abstain_reason=choice[1], base_version=self._version(place, pk)))
            elif choice == NA:
                answers.append(PeerAnswer(pk, not_applicable=True, base_version=self._version(place, pk)))
            else:
                answers.append(PeerAnswer(pk, level_id=level(self.cycle, choice).pk, comment=f"{person} on {code}.",
                                          base_version=self._version(place, pk)))
        save_peer_ratings(place, answers)
        if submit:
            submit_peer_ratings(place)
        return place

    @staticmethod
    def _version(place, criterion_id):
        rating = PeerRating.objects.filter(team_member=place, criterion_id=criterion_id).first()
        return rating.version if rating else 0

    def rate_everything(self, person, label="Met", submit=True, **exceptions):
        codes = self.cycle.edition.criteria.order_by("value__order", "order").values_list("code", flat=True)
        ratings = {code: label for code in codes}
        ratings.update({code.replace("_", "."): choice for code, choice in exceptions.items()})
        return self.rate(person, ratings, submit=submit)

    def everyone_rates(self, label="Met"):
        for name in TEAM:
            if TeamMember.objects.filter(visit__cycle=self.cycle, user=getattr(self.personas, name)).exists():
                self.rate_everything(getattr(self.personas, name), label)
        return self

    # agreeing

    def agree(self, code, label, rationale="The team weighed every view."):
        existing = AgreedRating.objects.filter(cycle=self.cycle, criterion__code=code).first()
        return agree_rating(
            self.cycle, criterion=criterion(self.cycle, code), level=None if label == NA else level(self.cycle, label),
            not_applicable=label == NA, rationale=rationale, agreed_by=self.personas.lead_reviewer,
            base_version=existing.version if existing else 0,
        )

    def agree_everything(self, label="Met", **exceptions):
        labels = {code.replace("_", "."): choice for code, choice in exceptions.items()}
        for code in self.cycle.edition.criteria.order_by("value__order", "order").values_list("code", flat=True):
            self.agree(code, labels.get(code, label))
        return self

    def finish(self):
        finish_agreeing(self.cycle, finished_by=self.personas.lead_reviewer)
        return self.refresh()

    # findings, actions and the report

    def finding(self, kind=FindingKind.DEVELOPMENT, text="Night staff are not yet part of reflective practice.",
                code=None):
        return add_finding(self.cycle, kind=kind, text=text, criterion=criterion(self.cycle, code) if code else None,
                           added_by=self.personas.lead_reviewer)

    def action(self, description="Include night staff in reflective practice.", owner="Deputy manager",
               due_date=None, finding=None, code=None):
        return add_action(
            self.cycle, description=description, owner=owner,
            due_date=due_date or timezone.localdate() + datetime.timedelta(days=30), finding=finding,
            criterion=criterion(self.cycle, code) if code else None, added_by=self.personas.lead_reviewer,
        )

    def send_draft(self):
        send_draft_report(self.cycle, sent_by=self.personas.lead_reviewer)
        return self.refresh()

    def comment(self, text="The report says the buddy scheme is new; it has run since last spring.", code=None,
                finding=None):
        return comment_on_accuracy(self.cycle, text=text, criterion=criterion(self.cycle, code) if code else None,
                                   finding=finding, by=self.personas.lead)

    def answer(self, comment, response="Checked, and corrected."):
        return answer_accuracy_comment(comment, response=response, by=self.personas.lead_reviewer)

    def decide(self, outcome=DecisionOutcome.AWARDED, rationale="The agreed ratings meet the award rule."):
        decision = record_decision(self.cycle, outcome=outcome, rationale=rationale, valid_until=None,
                                   recorded_by=self.admin)
        self.refresh()
        return decision

    def close(self):
        close_cycle(self.cycle, closed_by=self.admin)
        return self.refresh()

    def to(self, stage):
        """Runs the review on to `stage` the usual way: everyone rates everything Met, the lead agrees
        Met throughout, a finding and an action are recorded, the draft goes out, the decision is
        recorded, the cycle closes."""
        steps = {
            CycleState.SELF_ASSESSMENT_SUBMITTED: self.submit_self_assessment,
            CycleState.VISIT: lambda: self.build_team().start(),
            CycleState.RATINGS_AGREED: lambda: self.everyone_rates().agree_everything().finish(),
            CycleState.REPORT_DRAFT: self.send_draft,
            CycleState.FINAL: self.decide,
            CycleState.CLOSED: self.close,
        }
        for state in STAGES[STAGES.index(self.cycle.state) + 1 if self.cycle.state in STAGES else 0:
                            STAGES.index(stage) + 1]:
            steps[state]()
        return self.refresh()

    def refresh(self):
        self.cycle.refresh_from_db()
        return self

    # addresses

    def url(self, name, *args):
        """The address of one of the cycle's pages; the report's pages are under `reports:`."""
        namespace = "reports" if name.startswith(("report", "cycle-export")) else "reviews"
        return reverse(f"{namespace}:{name}", args=[self.cycle.pk, *args])


# --- a network of settled reviews -------------------------------------------------------------


def settled_review(edition, service=None, *, not_met=(), not_applicable=(), state=CycleState.CLOSED, opened=None,
                   **service_fields):
    """A review of `service` (a new one unless given) that reached `state` with an agreed rating for
    every criterion of `edition`: Met, except the codes in `not_met` and `not_applicable`. It
    moved there the way reviews do, so it leaves a stage change behind."""
    service = service or ServiceFactory(**service_fields)
    cycle = CycleFactory(service=service, edition=edition, state=state)
    if opened is not None:
        type(cycle).objects.filter(pk=cycle.pk).update(
            opened_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9)))
        )
        cycle.refresh_from_db()
    levels = {level.value: level for level in edition.levels.all()}
    top, bottom = levels[max(levels)], levels[min(levels)]
    AgreedRating.objects.bulk_create(
        AgreedRating(
            cycle=cycle, criterion=criterion, version=1, not_applicable=criterion.code in not_applicable,
            level=None if criterion.code in not_applicable else (bottom if criterion.code in not_met else top),
        )
        for criterion in Criterion.objects.filter(edition=edition)
    )
    CycleEvent.objects.create(cycle=cycle, from_state=CycleState.REPORT_DRAFT, to_state=state)
    return cycle


OTHER_NAMES = ["Rowan Lodge", "Birch Court", "Hazel Place", "Alder House", "Juniper Rise", "Aspen Row"]
SECTORS = ["Housing support", "Youth justice"]
REGIONS = ["North Coast", "Inland Valleys"]


def other_services(edition, names, **review_fields):
    """Services with these names and settled reviews of the edition, in two sectors and two regions,
    meeting a different share of the criteria each (the first misses one, the next two, …)."""
    codes = list(Criterion.objects.filter(edition=edition).order_by("value__order", "order").values_list("code", flat=True))
    sectors = [SectorFactory(name=name) for name in SECTORS]
    regions = [RegionFactory(name=name) for name in REGIONS]
    return [
        settled_review(edition, name=name, not_met=codes[:n], sector=sectors[n % 2], region=regions[n // 2 % 2],
                       **review_fields)
        for n, name in enumerate(names, start=1)
    ]
