"""Factories for visit invitations, proposed dates and the answers to them, and the notices sent."""

import datetime

import factory

from reviews.models import (
    Availability,
    DateAvailability,
    InviteeKind,
    NoticeOptOut,
    ProposedDate,
    SentNotice,
    VisitInvitation,
)
from tests.factories.network import UserFactory
from tests.factories.peer import VisitFactory


class VisitInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitInvitation

    visit = factory.SubFactory(VisitFactory)
    user = factory.SubFactory(UserFactory)
    kind = InviteeKind.TEAM


class ProposedDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedDate

    visit = factory.SubFactory(VisitFactory)
    date = factory.Sequence(lambda n: datetime.date(2027, 1, 4) + datetime.timedelta(days=n))


class DateAvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DateAvailability

    proposed_date = factory.SubFactory(ProposedDateFactory)
    user = factory.SubFactory(UserFactory)
    answer = Availability.YES


class SentNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentNotice

    user = factory.SubFactory(UserFactory)
    kind = "self_assessment_due"
    key = factory.Sequence(lambda n: f"occasion:{n}")
    subject = "Your self-assessment is due"


class NoticeOptOutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeOptOut

    user = factory.SubFactory(UserFactory)
    kind = "actions_overdue"
