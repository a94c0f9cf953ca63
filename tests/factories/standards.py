"""Factories for standards: frameworks, editions with their rating levels, values and criteria,
and `build_edition` for a published edition of any size."""

import factory
from django.db.models import Max

from standards.models import Criterion, Edition, EditionStatus, Framework, RatingLevel, Value


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


class RatingLevelFactory(factory.django.DjangoModelFactory):
    """One more level on an edition's scale, above the levels it already has."""

    class Meta:
        model = RatingLevel

    edition = factory.SubFactory(EditionFactory)
    value = factory.LazyAttribute(
        lambda o: (RatingLevel.objects.filter(edition=o.edition).aggregate(top=Max("value"))["top"] or 0) + 1
    )
    label = factory.Sequence(lambda n: f"Level {n}")


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
    easy_read = factory.LazyAttribute(
        lambda o: "" if o.rated_by == "staff" else "People here do good things together. Is this true for you?"
    )


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
                easy_read="" if c % 3 == 1 else f"We ask you about Value {v}, question {c}. Is this true for you?",
            )
            for c in range(1, criteria_per_value + 1)
        )
    return edition
