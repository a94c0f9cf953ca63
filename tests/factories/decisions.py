"""Factories for deciding a review: recommendations and their ratification, follow-ups after a
deferral, appeals, interim reviews; and the changes made after the draft report."""

import datetime

import factory
from django.utils import timezone

from reviews.models import (
    Appeal,
    ChangeSource,
    DecisionOutcome,
    FollowUp,
    FollowUpAnswer,
    FollowUpRating,
    InterimReview,
    RatificationVote,
    RatingChange,
    Recommendation,
)
from tests.factories.cycles import CycleFactory
from tests.factories.network import UserFactory
from tests.factories.peer import FindingFactory
from tests.factories.standards import CriterionFactory


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    cycle = factory.SubFactory(CycleFactory)
    outcome = DecisionOutcome.AWARDED
    reasons = "Every tier meets its threshold; members and staff describe the same community."
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3 * 365))
    recommended_by = factory.SubFactory(UserFactory)


class RatificationVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatificationVote

    recommendation = factory.SubFactory(RecommendationFactory)
    by = factory.SubFactory(UserFactory)
    ratified = True


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    cycle = factory.SubFactory(CycleFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(weeks=12))
    earlier_outcome = DecisionOutcome.DEFERRED


class FollowUpAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAnswer

    follow_up = factory.SubFactory(FollowUpFactory)
    criterion = factory.SubFactory(CriterionFactory, value__edition=factory.SelfAttribute("...follow_up.cycle.edition"))
    narrative = "Night staff now join the weekly reflective practice group; the rota shows it."
    version = 1
    updated_by = factory.SubFactory(UserFactory)


class FollowUpRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpRating

    follow_up = factory.SubFactory(FollowUpFactory)
    criterion = factory.SubFactory(CriterionFactory, value__edition=factory.SelfAttribute("...follow_up.cycle.edition"))
    level = factory.LazyAttribute(lambda o: o.follow_up.cycle.edition.levels.order_by("value").last())
    rationale = "The rota and the minutes show it happening every week."
    version = 1
    rated_by = factory.SubFactory(UserFactory)


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal

    cycle = factory.SubFactory(CycleFactory)
    grounds = "The team did not see the evening community meeting, which is where this happens."
    lodged_by = factory.SubFactory(UserFactory)
    earlier_outcome = DecisionOutcome.NOT_AWARDED


class InterimReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterimReview

    cycle = factory.SubFactory(CycleFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    requested_by = factory.SubFactory(UserFactory)


class RatingChangeFactory(factory.django.DjangoModelFactory):
    """A finding reworded after the service's comment on accuracy, unless told otherwise."""

    class Meta:
        model = RatingChange

    cycle = factory.SubFactory(CycleFactory)
    source = ChangeSource.ACCURACY
    finding = factory.SubFactory(FindingFactory, cycle=factory.SelfAttribute("..cycle"))
    from_text = "Night staff are not part of reflective practice."
    to_text = "Night staff joined reflective practice in March."
    reason = "The service showed the rota from March."
    version = 1
    by = factory.SubFactory(UserFactory)
