"""Scoped querysets: each returns only what the person may see, so that anything else is a 404."""

from auditlog.models import LogEntry
from django.db.models import Count, Q

from assurance.models import Region, Role, RoleKind, Sector, Service
from assurance.roles import roles_of

VISIBLE_THROUGH = (RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, RoleKind.COMMISSIONER)


def services_visible_to(user):
    roles = roles_of(user)
    services = Service.objects.select_related("organisation", "sector", "region")
    if roles.is_network_admin:
        return services
    return services.filter(pk__in=roles.service_ids(*VISIBLE_THROUGH))


def people_of_service(service):
    return Role.objects.filter(service=service).select_related("user").order_by("kind", "user__last_name")


def filtered_services(services, *, region="", sector="", q=""):
    """Services narrowed by region and sector (slugs) and a piece of their name, by name."""
    if region:
        services = services.filter(region__slug=region)
    if sector:
        services = services.filter(sector__slug=sector)
    if q:
        services = services.filter(name__icontains=q)
    return services.order_by("name")


def network_counts():
    """Active services, in all and by region and sector."""
    active = Q(services__is_active=True)
    return {
        "service_count": Service.objects.filter(is_active=True).count(),
        "regions": Region.objects.annotate(n=Count("services", filter=active)).order_by("name"),
        "sectors": Sector.objects.annotate(n=Count("services", filter=active)).order_by("name"),
    }


def audit_entries(*, kind="", actor="", q=""):
    """The audit log, newest first, narrowed by kind of record (content type id), who acted and
    a piece of the record's name."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if kind.isdigit():
        entries = entries.filter(content_type_id=int(kind))
    if actor:
        entries = entries.filter(actor__username=actor)
    if q:
        entries = entries.filter(object_repr__icontains=q)
    return entries
