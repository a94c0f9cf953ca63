"""Scoped querysets of review cycles: each returns only what the person may reach, so that
anything else answers 404."""

from django.db.models import Q

from assurance.models import RoleKind
from assurance.roles import roles_of
from reviews.cycles.models import Cycle

SERVICE_ROLES = (RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, RoleKind.COMMISSIONER)


def cycles_visible_to(user):
    """Cycles of the services a person works in, uses or commissions, and those they review."""
    roles = roles_of(user)
    cycles = Cycle.objects.select_related("service__organisation", "edition__framework")
    if roles.is_network_admin:
        return cycles
    reviewing = Cycle.objects.filter(visit__team__user=user).values("pk")
    return cycles.filter(Q(service_id__in=roles.service_ids(*SERVICE_ROLES)) | Q(pk__in=reviewing))
