"""Factories for review cycles and the events that move them from stage to stage."""

import factory

from reviews.models import Cycle, CycleEvent, CycleState
from tests.factories.network import ServiceFactory, UserFactory
from tests.factories.standards import EditionFactory


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    service = factory.SubFactory(ServiceFactory)
    edition = factory.SubFactory(EditionFactory)


class CycleEventFactory(factory.django.DjangoModelFactory):
    """The event of a cycle being opened, unless told otherwise."""

    class Meta:
        model = CycleEvent

    cycle = factory.SubFactory(CycleFactory)
    actor = factory.SubFactory(UserFactory)
    from_state = ""
    to_state = CycleState.OPEN
