"""factory_boy factories: every model has one, with no surprises."""

import factory
from django.utils.text import slugify

from assurance.models import Organisation, Region, Role, RoleKind, Sector, Service, User
from reviews.models import Cycle
from standards.models import Criterion, Edition, EditionStatus, Framework, RatingLevel, Value

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password(PASSWORD)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    organisation = factory.SubFactory(OrganisationFactory)
    sector = factory.SubFactory(SectorFactory)
    region = factory.SubFactory(RegionFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = RoleKind.STAFF
    service = factory.SubFactory(ServiceFactory)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ["slug"]

    slug = "test-standards"
    name = "Test Standards"


class EditionFactory(factory.django.DjangoModelFactory):
    """An edition with the usual three levels: Not met 0, Partly met 1, Met 2."""

    class Meta:
        model = Edition
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    version = factory.Sequence(lambda n: f"1.{n}")
    status = EditionStatus.PUBLISHED

    @factory.post_generation
    def levels(edition, create, extracted, **kwargs):
        if create:
            labels = extracted or ["Not met", "Partly met", "Met"]
            RatingLevel.objects.bulk_create(
                RatingLevel(edition=edition, value=value, label=label) for value, label in enumerate(labels)
            )


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"V{n}")
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Value {n}")
    summary = "What this value is about."


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    value = factory.SubFactory(ValueFactory)
    edition = factory.SelfAttribute("value.edition")
    code = factory.Sequence(lambda n: f"C.{n}")
    order = factory.Sequence(lambda n: n)
    statement = factory.Sequence(lambda n: f"The community does good thing number {n}.")
    guidance = "What good looks like, in plain words."
    evidence_examples = factory.LazyFunction(lambda: ["Community meeting minutes", "A 'you said, we did' board"])
    tier = 2
    rated_by = "both"


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    service = factory.SubFactory(ServiceFactory)
    edition = factory.SubFactory(EditionFactory)


def build_edition(values=10, criteria_per_value=5, **edition_fields):
    """A published edition of the given size, with tiers 1-3 and raters mixed."""
    edition = EditionFactory(**edition_fields)
    for v in range(1, values + 1):
        value = ValueFactory(edition=edition, code=f"V{v}", order=v, name=f"Value {v}")
        Criterion.objects.bulk_create(
            Criterion(
                edition=edition, value=value, code=f"V{v}.{c}", order=c, tier=(c % 3) + 1,
                rated_by=("both", "staff", "members")[c % 3],
                statement=f"Statement for V{v}.{c}.", guidance="Guidance.", evidence_examples=["Minutes"],
            )
            for c in range(1, criteria_per_value + 1)
        )
    return edition
