"""Factories for the members' voice: questionnaire sessions, responses and their answers,
participation and quotes."""

import datetime

import factory
from django.utils import timezone

from reviews.models import (
    Channel,
    MemberAnswer,
    MemberParticipation,
    MemberQuote,
    MemberResponse,
    MemberResponseAnswer,
    QuestionnaireSession,
)
from tests.factories.cycles import CycleFactory
from tests.factories.network import UserFactory


class QuestionnaireSessionFactory(factory.django.DjangoModelFactory):
    """Open now, for two hours."""

    class Meta:
        model = QuestionnaireSession

    cycle = factory.SubFactory(CycleFactory)
    code = factory.Sequence(lambda n: f"TEST{n:04d}")
    name = "Community meeting"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=5))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=2))
    opened_by = factory.SubFactory(UserFactory)


class MemberResponseFactory(factory.django.DjangoModelFactory):
    """A single member's response online. `answers={criterion: "yes", ...}` adds its answers."""

    class Meta:
        model = MemberResponse
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    channel = Channel.ACCOUNT
    received_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def answers(self, create, extracted, **kwargs):
        for criterion, answer in (extracted or {}).items():
            MemberResponseAnswer.objects.create(response=self, criterion=criterion, answer=answer)


class MemberResponseAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberResponseAnswer

    response = factory.SubFactory(MemberResponseFactory)
    criterion = factory.SubFactory("tests.factories.standards.CriterionFactory")
    answer = MemberAnswer.YES


class MemberParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberParticipation

    cycle = factory.SubFactory(CycleFactory)
    user = factory.SubFactory(UserFactory)


class MemberQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberQuote

    cycle = factory.SubFactory(CycleFactory)
    text = "Staff here actually listen when you ask for something."
    proposed_by = factory.SubFactory(UserFactory)
