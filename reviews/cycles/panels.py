"""What the network core's pages show of review cycles: on the home page, the cycles of the
services a person works in, uses or commissions, and the network's cycles by stage; on a
service's page, its cycles."""

import rules
from django.db.models import Count, Prefetch, Q

from assurance.models import RoleKind
from assurance.panels import Panel
from assurance.queries import services_visible_to
from assurance.roles import roles_of
from reviews.cycles.models import Cycle, CycleState

# Each service's cycles, the latest first, as the lists of cycles show them (with their edition).
LISTED_CYCLES = Cycle.objects.select_related("edition__framework")


def _services_as(request, *kinds, cycles=LISTED_CYCLES):
    service_ids = roles_of(request.user).service_ids(*kinds)
    if not service_ids:
        return None
    services = services_visible_to(request.user).filter(pk__in=service_ids)
    return services.prefetch_related(Prefetch("cycles", queryset=cycles.order_by("-opened_at")))


def work_services(request):
    services = _services_as(request, RoleKind.SERVICE_LEAD, RoleKind.STAFF)
    return Panel("cycles/_home_work_services.html", {"services": services}) if services is not None else None


def member_services(request):
    """The services a person is a member of, each cycle saying whether its questionnaire is open
    and whether this person has answered it (participation only: never what they said)."""
    answered = Count("member_participations", filter=Q(member_participations__user=request.user))
    services = _services_as(request, RoleKind.MEMBER, cycles=LISTED_CYCLES.annotate(answered_by_me=answered))
    if services is None:
        return None
    return Panel("cycles/_home_member_services.html", {
        "services": services, "questionnaire_open": CycleState.QUESTIONNAIRE_OPEN,
    })


def commissioned_services(request):
    """Each commissioned service with the stage of its latest cycle and its award: only the
    cycles' stages are read (a commissioner may have hundreds)."""
    services = _services_as(request, RoleKind.COMMISSIONER, cycles=Cycle.objects.only("service_id", "state", "opened_at"))
    return Panel("cycles/_home_commissioned.html", {"services": services}) if services is not None else None


def cycles_by_state(request):
    """A card of the network overview: how many cycles are at each stage."""
    counts = dict(Cycle.objects.values_list("state").annotate(n=Count("id")))
    return Panel("cycles/_home_cycles_by_state.html", {
        "cycles_by_state": [(label, counts.get(state, 0)) for state, label in CycleState.choices],
    })


def service_cycles(request, service):
    cycles = Cycle.objects.filter(service=service).select_related("edition__framework").order_by("-opened_at")
    return Panel("cycles/_service_cycles.html", {
        "service": service,
        "cycles": cycles,
        "may_open": rules.test_rule("open_cycle", request.user),
    })
