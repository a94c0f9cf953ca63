"""Factories for reports: a built service report's record, a draft unless told otherwise."""

import factory

from reviews.models import Report, ReportKind
from tests.factories.cycles import CycleFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = ReportKind.SERVICE
    cycle = factory.SubFactory(CycleFactory)
    data_hash = factory.Sequence(lambda n: f"{n:064x}")
