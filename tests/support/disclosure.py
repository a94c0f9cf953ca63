"""A world for the generated disclosure test: two services at every stage of a review (one where
the personas belong, one where nobody of them does), with a distinct marker planted in every kind
of fact, and what each marker tells (reviews/disclosure.py's facts).

A marker is a word such as `zqstaffwords03x`: short, with no spaces or hyphens, so that neither a
page's layout nor a PDF's line breaks can split it.

The members' counts and the number of responses are numbers, not words, so their markers are
numbers too (`markers_in`): in cycle i, 1000 + i members answered Yes to V1.3 (the only counted
answers: no other count of the world reaches a thousand), and 500 more answered Don't know, so
1500 + i responses came in. A page that shows the counts shows 1000 + i ("Yes 1003 … (n=1003)",
`"yes": 1003`), one that shows how many answered shows 1500 + i; both are read from a page's
visible words only, so that no number in its markup can pass for one.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from assurance.models import RoleKind
from reviews.cycles.models import CycleState
from reviews.decisions.models import AppealResult, AppealStatus, FollowUpStatus, RecommendationStatus
from reviews.disclosure import Fact
from reviews.members.models import Channel, MemberResponse, MemberResponseAnswer
from reviews.peer.models import ChangeSource, DecisionOutcome, FindingKind, TeamRole
from reviews.reports.services import issue_final_report
from reviews.selfassessment.models import EvidenceKind, Perspective
from tests.factories import (
    AccuracyCommentFactory,
    ActionFactory,
    AgreedRatingFactory,
    AppealFactory,
    CycleFactory,
    DecisionFactory,
    EvidenceFactory,
    FindingFactory,
    FollowUpAnswerFactory,
    FollowUpFactory,
    FollowUpRatingFactory,
    InterimReviewFactory,
    MemberQuoteFactory,
    PeerRatingFactory,
    RatingChangeFactory,
    RecommendationFactory,
    RoleFactory,
    SelfRatingFactory,
    ServiceFactory,
    TeamMemberFactory,
    TimetableItemFactory,
    UserFactory,
    VisitFactory,
    VisitFeedbackFactory,
    build_edition,
)
from tests.support.pages import words

STAGES = list(CycleState.values)
PERSONAS = ["admin", "lead", "staff", "member", "reviewer", "lived", "leadreviewer", "commissioner", "outsider",
            "offteam"]
SERVICE_ROLES = {"lead": RoleKind.SERVICE_LEAD, "staff": RoleKind.STAFF, "member": RoleKind.MEMBER,
                 "commissioner": RoleKind.COMMISSIONER}

# Each marker, the facts whose disclosure lets a reader see it, and (for a reviewer's own ratings)
# the persona who wrote it, who always sees their own.
MARKERS = {
    "staffwords": ({Fact.STAFF_WORDS}, None),
    "staffevidence": ({Fact.STAFF_EVIDENCE}, None),
    "staffauthor": ({Fact.STAFF_AUTHORS}, None),
    "memberevidence": ({Fact.MEMBER_EVIDENCE}, None),
    "removedstaffevidence": ({Fact.STAFF_EVIDENCE}, None),  # a file the retention policy removed
    "removedmemberevidence": ({Fact.MEMBER_EVIDENCE}, None),
    "memberfreetext": ({Fact.MEMBER_FREE_TEXT}, None),
    "quoteproposed": ({Fact.MEMBER_QUOTES_PROPOSED}, None),
    "quotedeclined": ({Fact.MEMBER_QUOTES_PROPOSED}, None),
    "quoteagreed": ({Fact.MEMBER_QUOTES, Fact.MEMBER_QUOTES_PROPOSED}, None),
    "counts": ({Fact.MEMBER_COUNTS}, None),  # a number: see markers_in
    "responses": ({Fact.MEMBER_RESPONSES}, None),  # a number: see markers_in
    "visitplan": ({Fact.VISIT_PLAN}, None),
    "visitnotes": ({Fact.VISIT_NOTES}, None),
    "team": ({Fact.TEAM}, None),
    "draft": (set(), "lived"),
    "comment": ({Fact.REVIEWER_COMMENTS, Fact.REVIEWER_RATINGS}, "reviewer"),
    "abstain": ({Fact.REVIEWER_RATINGS}, "reviewer"),
    "rationale": ({Fact.AGREED_RATINGS}, None),
    "strength": ({Fact.STRENGTHS}, None),
    "development": ({Fact.DEVELOPMENT}, None),
    "urgent": ({Fact.URGENT_CONCERNS}, None),
    "escalated": ({Fact.URGENT_CONCERNS, Fact.ESCALATED_URGENT_CONCERNS}, None),
    "action": ({Fact.ACTIONS}, None),
    "carried": ({Fact.ACTIONS, Fact.CARRIED_ACTIONS}, None),
    "accuracy": ({Fact.ACCURACY_COMMENTS}, None),
    "answer": ({Fact.ACCURACY_COMMENTS}, None),
    "decision": ({Fact.DECISION}, None),
    "recommendation": ({Fact.RECOMMENDATION}, None),
    "returned": ({Fact.RECOMMENDATION}, None),
    "change": ({Fact.CHANGES}, None),
    "followupanswer": ({Fact.FOLLOW_UP_ANSWERS}, None),
    "followuprating": ({Fact.FOLLOW_UP_RATINGS}, None),
    "grounds": ({Fact.APPEAL_GROUNDS}, None),
    "appealreasons": ({Fact.APPEAL_GROUNDS}, None),
    "interim": ({Fact.INTERIM_REVIEW}, None),
    "feedback": ({Fact.FEEDBACK}, None),
}


def token(marker, index):
    return f"zq{marker}{index:02d}x"


TOKEN = re.compile(r"zq([a-z]+?)(\d\d)x")
YES_FROM, DONT_KNOW = 1000, 500
# Not a number in an address: "/cycles/1001/" is a cycle's id (PostgreSQL's ids reach the
# thousands over a test run), not a count of members.
NUMBER = re.compile(r"(?<![\d./=])1([05])(\d\d)(?![\d./])")


def markers_in(text, places):
    """{(marker, cycle index)} a document shows: the word markers, and the members' numbers."""
    found = {(marker, int(index)) for marker, index in TOKEN.findall(text)}
    if NUMBER.search(text):
        visible = words(text) if text.lstrip()[:15].lower().startswith(("<!doctype", "<html")) else text
        found |= {("counts" if kind == "0" else "responses", int(index))
                  for kind, index in NUMBER.findall(visible) if int(index) < places}
    return found


@dataclass
class Place:
    """One cycle of the world: where it stands, whether the personas belong to its service, and
    the markers planted in it."""

    index: int
    cycle: object
    own: bool
    actions: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # evidence whose file was removed: each has a page (410)

    @property
    def label(self):
        return f"{'home' if self.own else 'other'}-{self.cycle.state}"

    def marker(self, name):
        return token(name, self.index)


@dataclass
class World:
    people: dict
    places: list
    edition: object


def build_world():
    edition = build_edition(values=2, criteria_per_value=3, version="9.1")
    people = _people()
    places = []
    for state in STAGES:
        for own in (True, False):
            places.append(_place(len(places), edition, state, own, people))
    return World(people, places, edition)


def _people():
    reviewers_home = ServiceFactory(name="Reviewers' Home")
    people = {name: UserFactory(username=name, first_name=name.capitalize(), last_name="Persona") for name in PERSONAS}
    RoleFactory(user=people["admin"], kind=RoleKind.NETWORK_ADMIN, service=None)
    for name, kind in (("reviewer", RoleKind.PEER_REVIEWER), ("lived", RoleKind.LIVED_EXPERIENCE_REVIEWER),
                       ("leadreviewer", RoleKind.LEAD_REVIEWER), ("offteam", RoleKind.PEER_REVIEWER)):
        RoleFactory(user=people[name], kind=kind, service=reviewers_home)
    return people


def _place(index, edition, state, own, people):
    service = ServiceFactory(name=f"{'Home' if own else 'Other'} service {index:02d}")
    if own:
        for name, kind in SERVICE_ROLES.items():
            RoleFactory(user=people[name], kind=kind, service=service)
    earlier = CycleFactory(service=service, edition=edition, state=CycleState.CLOSED)
    cycle = CycleFactory(service=service, edition=edition, state=state, independent_ratings=True)
    place = Place(index, cycle, own)
    criteria = {c.code: c for c in edition.criteria.all()}
    _answers(place, criteria["V1.3"])
    _members(place, criteria["V1.3"], people["leadreviewer"], people["lead"])
    _visit_and_ratings(place, criteria, people if own else None)
    _outcomes(place, criteria["V1.3"], earlier)
    _deciding(place, criteria, people["admin"])
    if state in (CycleState.FINAL, CycleState.CLOSED):
        issue_final_report(cycle, issued_by=people["admin"])
    return place


def _answers(place, criterion):
    """The staff's answer, saved by someone whose name is a marker, with evidence; evidence a member
    added before members answered questionnaires (the member has since left the service); and a
    file of each whose file the retention policy removed (the record stays, and says so)."""
    cycle, mark = place.cycle, place.marker
    staff_author = UserFactory(first_name="Zq", last_name=mark("staffauthor"))
    RoleFactory(user=staff_author, kind=RoleKind.STAFF, service=cycle.service)
    member_author = UserFactory(first_name="Zq", last_name="Formermember")
    staff_evidence = EvidenceFactory(cycle=cycle, kind=EvidenceKind.LINK, title=mark("staffevidence"),
                                     added_by=staff_author, added_as=Perspective.STAFF)
    EvidenceFactory(cycle=cycle, kind=EvidenceKind.LINK, title=mark("memberevidence"), added_by=member_author,
                    added_as=Perspective.MEMBERS)
    SelfRatingFactory(cycle=cycle, criterion=criterion, perspective=Perspective.STAFF, narrative=mark("staffwords"),
                      updated_by=staff_author, evidence=[staff_evidence])
    place.removed = [
        EvidenceFactory(cycle=cycle, kind=EvidenceKind.FILE, url="", title=mark(marker),
                        original_name=f"{mark(marker)}.pdf", size=2048, added_by=author, added_as=perspective,
                        file_removed_at=timezone.now(), file_removed_reason="Retention policy")
        for marker, author, perspective in (("removedstaffevidence", staff_author, Perspective.STAFF),
                                            ("removedmemberevidence", member_author, Perspective.MEMBERS))
    ]


def _members(place, criterion, proposer, agreer):
    """The members' responses (their numbers are markers: see the module's docstring), one with
    words for the reviewers, and quotes proposed, agreed and declined."""
    cycle, mark = place.cycle, place.marker
    yes = YES_FROM + place.index
    responses = MemberResponse.objects.bulk_create(
        MemberResponse(cycle=cycle, channel=Channel.PAPER, received_on=timezone.localdate(),
                       anything_else=mark("memberfreetext") if n == yes else "")
        for n in range(yes + DONT_KNOW)
    )
    MemberResponseAnswer.objects.bulk_create(
        MemberResponseAnswer(response=response, criterion=criterion, answer="yes" if n < yes else "dont_know")
        for n, response in enumerate(responses)
    )
    MemberQuoteFactory(cycle=cycle, text=mark("quoteproposed"), proposed_by=proposer)
    MemberQuoteFactory(cycle=cycle, text=mark("quoteagreed"), proposed_by=proposer, agreed_by=agreer,
                       agreed_at=timezone.now())
    MemberQuoteFactory(cycle=cycle, text=mark("quotedeclined"), proposed_by=proposer, declined_at=timezone.now())


def _visit_and_ratings(place, criteria, people):
    """The visit and the team: a reviewer who submitted (a comment, and an abstention with its
    reason), a lived-experience reviewer with a draft, a lead reviewer who submitted, and a team
    member whose name is a marker. The other service's team is made of other people."""
    cycle, mark = place.cycle, place.marker
    visit = VisitFactory(cycle=cycle, date=datetime.date(2026, 10, 1), notes=mark("visitnotes"))
    TimetableItemFactory(visit=visit, details=mark("visitplan"))
    team = people or {name: UserFactory() for name in ("reviewer", "lived", "leadreviewer")}
    submitted = timezone.now()
    reviewer = TeamMemberFactory(visit=visit, user=team["reviewer"], role=TeamRole.PEER_REVIEWER,
                                 ratings_submitted_at=submitted)
    lived = TeamMemberFactory(visit=visit, user=team["lived"], role=TeamRole.LIVED_EXPERIENCE_REVIEWER)
    lead = TeamMemberFactory(visit=visit, user=team["leadreviewer"], role=TeamRole.LEAD_REVIEWER,
                             ratings_submitted_at=submitted)
    TeamMemberFactory(visit=visit, user=UserFactory(first_name="Zq", last_name=mark("team")))
    PeerRatingFactory(team_member=reviewer, criterion=criteria["V1.1"], comment=mark("comment"))
    PeerRatingFactory(team_member=reviewer, criterion=criteria["V1.2"], level=None, abstained=True,
                      abstain_reason=mark("abstain"), comment="")
    PeerRatingFactory(team_member=lived, criterion=criteria["V1.1"], comment=mark("draft"))
    PeerRatingFactory(team_member=lead, criterion=criteria["V1.1"], comment="")
    for code, criterion in criteria.items():
        AgreedRatingFactory(cycle=cycle, criterion=criterion, rationale=mark("rationale") if code == "V1.1" else "")


def _outcomes(place, criterion, earlier):
    cycle, mark = place.cycle, place.marker
    strength = FindingFactory(cycle=cycle, kind=FindingKind.STRENGTH, text=mark("strength"))
    FindingFactory(cycle=cycle, kind=FindingKind.DEVELOPMENT, text=mark("development"))
    FindingFactory(cycle=cycle, kind=FindingKind.URGENT, text=mark("urgent"))
    FindingFactory(cycle=cycle, kind=FindingKind.URGENT, text=mark("escalated"), escalated_at=timezone.now(),
                   escalation_reason="The commissioners need to know now.")
    overdue = timezone.localdate() - datetime.timedelta(days=5)
    place.actions.append(ActionFactory(cycle=cycle, description=mark("action"), due_date=overdue))
    original = ActionFactory(cycle=earlier, description="The first time round.", due_date=overdue)
    place.actions.append(ActionFactory(cycle=cycle, description=mark("carried"), carried_from=original,
                                       due_date=overdue))
    AccuracyCommentFactory(cycle=cycle, finding=strength, text=mark("accuracy"), response=mark("answer"),
                           responded_at=timezone.now())
    DecisionFactory(cycle=cycle, rationale=mark("decision"))
    VisitFeedbackFactory(cycle=cycle, went_well=mark("feedback"))


def _deciding(place, criteria, admin):
    """A recommendation the administrators returned, a change to an agreed rating after the draft,
    a follow-up with the service's answer and the lead reviewer's new rating, a decided appeal
    with its grounds and the panel's reasons, and an interim review."""
    cycle, mark = place.cycle, place.marker
    lead = cycle.visit.team.get(role=TeamRole.LEAD_REVIEWER).user
    RecommendationFactory(cycle=cycle, reasons=mark("recommendation"), recommended_by=lead,
                          status=RecommendationStatus.RETURNED, returned_reason=mark("returned"),
                          settled_at=timezone.now())
    agreed = cycle.agreed_ratings.get(criterion=criteria["V1.2"])
    RatingChangeFactory(cycle=cycle, source=ChangeSource.ACCURACY, finding=None, criterion=criteria["V1.2"],
                        from_level=agreed.level, to_level=agreed.level, from_text="", to_text="",
                        reason=mark("change"), by=lead)
    follow_up = FollowUpFactory(cycle=cycle, status=FollowUpStatus.SUBMITTED, submitted_at=timezone.now())
    follow_up.criteria.set([criteria["V1.3"]])
    FollowUpAnswerFactory(follow_up=follow_up, criterion=criteria["V1.3"], narrative=mark("followupanswer"))
    FollowUpRatingFactory(follow_up=follow_up, criterion=criteria["V1.3"], rationale=mark("followuprating"),
                          rated_by=lead)
    appeal = AppealFactory(cycle=cycle, grounds=mark("grounds"), status=AppealStatus.DECIDED,
                           result=AppealResult.DISMISSED, reasons=mark("appealreasons"), decided_by=admin,
                           decided_at=timezone.now(), earlier_outcome=DecisionOutcome.AWARDED)
    appeal.panel.set([admin])
    InterimReviewFactory(cycle=cycle, statement=mark("interim"), requested_by=admin, submitted_at=timezone.now())
