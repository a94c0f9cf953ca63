"""Factories for the peer review: the visit and its timetable, the team and conflicts of interest,
reviewers' own and agreed ratings, findings, actions and their notes, factual accuracy comments,
the decision and the service's feedback on the visit."""

import datetime

import factory
from django.utils import timezone

from reviews.models import (
    AccuracyComment,
    Action,
    ActionNote,
    ActionStatus,
    AgreedRating,
    ConflictOfInterest,
    Decision,
    DecisionOutcome,
    Finding,
    FindingKind,
    PeerRating,
    TeamMember,
    TeamRole,
    TimetableItem,
    TimetableKind,
    Visit,
    VisitFeedback,
)
from tests.factories.cycles import CycleFactory
from tests.factories.network import ServiceFactory, UserFactory
from tests.factories.standards import CriterionFactory


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    cycle = factory.SubFactory(CycleFactory)


class TimetableItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimetableItem

    visit = factory.SubFactory(VisitFactory)
    starts_at = datetime.time(10)
    ends_at = datetime.time(11)
    kind = TimetableKind.MEMBERS
    details = "Members only; staff not present."


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    visit = factory.SubFactory(VisitFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamRole.PEER_REVIEWER


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    user = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    reason = "I worked there until last year."


class PeerRatingFactory(factory.django.DjangoModelFactory):
    """A reviewer's rating: the edition's top level unless told otherwise."""

    class Meta:
        model = PeerRating

    team_member = factory.SubFactory(TeamMemberFactory)
    criterion = factory.SubFactory(
        CriterionFactory, value__edition=factory.SelfAttribute("...team_member.visit.cycle.edition")
    )
    level = factory.LazyAttribute(
        lambda o: None if (o.not_applicable or o.abstained) else o.criterion.edition.levels.order_by("value").last()
    )
    not_applicable = False
    abstained = False
    abstain_reason = factory.LazyAttribute(lambda o: "I did not see this on the day." if o.abstained else "")
    comment = "What we saw on the day."
    version = 1


class AgreedRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedRating

    cycle = factory.SubFactory(CycleFactory)
    criterion = factory.SubFactory(CriterionFactory, value__edition=factory.SelfAttribute("...cycle.edition"))
    level = factory.LazyAttribute(
        lambda o: None if o.not_applicable else o.cycle.edition.levels.order_by("value").last()
    )
    not_applicable = False
    rationale = ""
    version = 1


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    cycle = factory.SubFactory(CycleFactory)
    kind = FindingKind.DEVELOPMENT
    text = factory.Sequence(lambda n: f"Finding number {n}: night staff are not yet part of reflective practice.")
    created_by = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    cycle = factory.SubFactory(CycleFactory)
    description = factory.Sequence(lambda n: f"Action number {n}: include night staff in reflective practice.")
    owner = "Deputy manager"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    created_by = factory.SubFactory(UserFactory)


class ActionNoteFactory(factory.django.DjangoModelFactory):
    """Progress on an action: from open to in progress, unless told otherwise."""

    class Meta:
        model = ActionNote

    action = factory.SubFactory(ActionFactory)
    text = "Two night staff joined this month."
    from_status = ActionStatus.OPEN
    to_status = ActionStatus.IN_PROGRESS
    by = factory.SubFactory(UserFactory)


class AccuracyCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccuracyComment

    cycle = factory.SubFactory(CycleFactory)
    finding = factory.SubFactory(FindingFactory, cycle=factory.SelfAttribute("..cycle"))
    text = factory.Sequence(lambda n: f"Comment number {n}: the buddy scheme has run since last spring.")
    by = factory.SubFactory(UserFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    cycle = factory.SubFactory(CycleFactory)
    outcome = DecisionOutcome.AWARDED
    rationale = "The agreed ratings meet the award rule."
    recommended = True
    percent_met = 100
    recorded_by = factory.SubFactory(UserFactory)


class VisitFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitFeedback

    cycle = factory.SubFactory(CycleFactory)
    given_by = factory.SubFactory(UserFactory)
    visit_rating = 4
    team_rating = 5
    went_well = "They listened to members first."
    could_improve = "More time with the night staff."
