"""What the home page shows of peer reviews: urgent concerns waiting for the administrators, those
escalated to a commissioner, and a reviewer's visits."""

import rules

from assurance.models import REVIEWER_ROLES, RoleKind
from assurance.panels import Panel
from assurance.roles import roles_of
from reviews.cycles.models import CycleState
from reviews.disclosure import Fact, sees
from reviews.peer.models import Finding, FindingKind, TeamMember


def urgent_concerns(request):
    """Urgent concerns not yet acknowledged, for the network administrators."""
    if not rules.test_rule("acknowledge_urgent_concerns", request.user):
        return None
    waiting = list(
        Finding.objects.filter(kind=FindingKind.URGENT, acknowledged_at__isnull=True)
        .select_related("cycle__service", "created_by")
        .order_by("created_at")
    )
    return Panel("peer/_home_urgent_concerns.html", {"urgent_concerns": waiting}) if waiting else None


def visits(request):
    """A reviewer's places on review teams, and the reviewer roles they hold."""
    if not rules.test_rule("see_own_visits", request.user):
        return None
    places = TeamMember.objects.filter(user=request.user).select_related(
        "visit__cycle__service", "visit__cycle__edition__framework"
    ).order_by("visit__date")
    reviewer_roles = [role for role in request.user.roles.select_related("service") if role.kind in REVIEWER_ROLES]
    return Panel("peer/_home_visits.html", {"visits": places, "reviewer_roles": reviewer_roles})


def escalated_concerns(request):
    """Urgent concerns a network administrator escalated to a commissioner, from reviews still
    under way in the services they commission."""
    service_ids = roles_of(request.user).service_ids(RoleKind.COMMISSIONER)
    if not service_ids:
        return None
    escalated = list(
        Finding.objects.filter(cycle__service__in=service_ids, kind=FindingKind.URGENT, escalated_at__isnull=False)
        .exclude(cycle__state=CycleState.CLOSED)
        .select_related("cycle__service", "cycle__visit").prefetch_related("cycle__visit__team")
        .order_by("-escalated_at")
    )
    shown = [finding for finding in escalated if sees(request.user, finding.cycle, Fact.ESCALATED_URGENT_CONCERNS)]
    return Panel("peer/_home_escalated_concerns.html", {"concerns": shown}) if shown else None
