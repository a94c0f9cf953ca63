"""Factories for the network: people, regions, sectors, organisations, services and roles."""

import datetime

import factory
from django.utils.text import slugify

from assurance.models import (
    AccountInvitation,
    Organisation,
    Region,
    ReviewerRecord,
    Role,
    RoleKind,
    Sector,
    Service,
    ThrottleHit,
    Unavailability,
    User,
)

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


class ThrottleHitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThrottleHit

    scope = "sign-in-address"
    key = factory.Sequence(lambda n: f"{n:064x}")


class ReviewerRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerRecord

    user = factory.SubFactory(UserFactory)
    trained_on = datetime.date(2026, 3, 2)


class UnavailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unavailability

    user = factory.SubFactory(UserFactory)
    starts_on = datetime.date(2027, 1, 4)
    ends_on = datetime.date(2027, 1, 8)


class AccountInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountInvitation

    user = factory.SubFactory(UserFactory)
