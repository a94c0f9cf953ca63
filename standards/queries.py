from django.db.models import Count, Prefetch

from assurance.roles import roles_of
from standards.models import Criterion, Edition, EditionStatus, Framework


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
