"""A large network for benchmarks: settled reviews with agreed ratings, made with bulk inserts."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from assurance.models import Service
from reviews.models import AgreedRating, Cycle, CycleState
from standards.models import Edition


@transaction.atomic
def ensure_benchmark_reviews(count, last_year_count):
    """Each benchmark service gets a final review this year, and the first `last_year_count` a
    closed one last year, each with an agreed rating for every criterion. Returns how many were added."""
    edition = Edition.objects.get(framework__slug="relational-practice-standards", version="2026.1")
    criteria = list(edition.criteria.only("pk", "tier"))
    levels = list(edition.levels.order_by("value"))
    services = list(Service.objects.filter(slug__startswith="bench-").order_by("slug")[:count])
    reviewed = set(Cycle.objects.filter(service__in=services).values_list("service_id", "state"))
    now = timezone.now()
    plans = []
    for index, service in enumerate(services):
        if index < last_year_count and (service.pk, CycleState.CLOSED) not in reviewed:
            plans.append((service, CycleState.CLOSED, now - datetime.timedelta(days=365)))
        if (service.pk, CycleState.FINAL) not in reviewed:
            plans.append((service, CycleState.FINAL, now))
    if not plans:
        return 0
    cycles = Cycle.objects.bulk_create(
        Cycle(service=service, edition=edition, state=state, submitted_at=opened) for service, state, opened in plans
    )
    rng = random.Random(2026)
    ratings = []
    for cycle, (_service, _state, _opened) in zip(cycles, plans, strict=True):
        quality = rng.uniform(0.35, 0.95)
        for criterion in criteria:
            if rng.random() < 0.03:
                ratings.append(AgreedRating(cycle=cycle, criterion=criterion, not_applicable=True, version=1))
                continue
            draw = rng.random()
            level = levels[-1] if draw < quality else (levels[1] if draw < quality + 0.25 else levels[0])
            ratings.append(AgreedRating(cycle=cycle, criterion=criterion, level=level, version=1))
    AgreedRating.objects.bulk_create(ratings, batch_size=5000)
    for cycle, (_service, _state, opened) in zip(cycles, plans, strict=True):
        if opened < now - datetime.timedelta(days=300):
            Cycle.objects.filter(pk=cycle.pk).update(opened_at=opened)
    return len(cycles)
