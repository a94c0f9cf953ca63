"""Factories for the self-assessment: evidence and answers."""

import factory

from reviews.models import Evidence, EvidenceKind, Perspective, SelfRating
from tests.factories.cycles import CycleFactory
from tests.factories.network import UserFactory
from tests.factories.standards import CriterionFactory


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A link: files need storage, and most tests only need something to point at."""

    class Meta:
        model = Evidence

    cycle = factory.SubFactory(CycleFactory)
    kind = EvidenceKind.LINK
    title = factory.Sequence(lambda n: f"Community meeting minutes {n}")
    url = factory.Sequence(lambda n: f"https://example.org/minutes/{n}")
    added_by = factory.SubFactory(UserFactory)
    added_as = Perspective.STAFF


class SelfRatingFactory(factory.django.DjangoModelFactory):
    """A saved answer: the edition's top level unless told otherwise, version 1."""

    class Meta:
        model = SelfRating
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    criterion = factory.SubFactory(CriterionFactory, value__edition=factory.SelfAttribute("...cycle.edition"))
    perspective = Perspective.STAFF
    level = factory.LazyAttribute(
        lambda o: None if o.not_applicable else o.cycle.edition.levels.order_by("value").last()
    )
    not_applicable = False
    narrative = "Community meeting minutes show it."
    version = 1
    updated_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def evidence(rating, create, extracted, **kwargs):
        if create and extracted:
            rating.evidence.set(extracted)
