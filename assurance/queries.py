"""Scoped querysets: each returns only what the person may see, so that anything else is a 404."""

from assurance.models import Role, RoleKind, Service
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
