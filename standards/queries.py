from django.db.models import Count, OuterRef, Prefetch, Subquery

from assurance.roles import roles_of
from standards.models import Criterion, Edition, EditionStatus, Framework, RatingLevel


def editions_visible_to(user):
    editions = Edition.objects.select_related("framework")
    if roles_of(user).is_network_admin:
        return editions
    return editions.exclude(status=EditionStatus.DRAFT)


def frameworks_with_editions(user):
    editions = editions_visible_to(user).annotate(criteria_count=Count("criteria")).order_by("-version")
    return Framework.objects.prefetch_related(Prefetch("editions", queryset=editions, to_attr="visible_editions"))


def values_with_criteria(edition):
    return edition.values.order_by("order").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("order"))
    )


def top_levels(editions):
    """The top level (Met) of each of these editions, as a lazy queryset of ids to use inside
    another query: a rating counts as met when its level is one of them, whatever its edition."""
    highest = RatingLevel.objects.filter(edition=OuterRef("edition")).order_by("-value").values("value")[:1]
    return RatingLevel.objects.filter(edition__in=editions, value=Subquery(highest)).values("pk")
