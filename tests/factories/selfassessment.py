"""factory_boy factories for the self-assessment: answers, evidence, visits and review teams."""

import factory

from reviews.models import Evidence, EvidenceKind, Perspective, SelfRating, TeamMember, TeamRole, Visit
from tests.factories import CriterionFactory, CycleFactory, UserFactory


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


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    cycle = factory.SubFactory(CycleFactory)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    visit = factory.SubFactory(VisitFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamRole.PEER_REVIEWER
