"""Pages of the network core: home, services, the audit log."""

import rules
from auditlog.models import LogEntry
from axes.utils import reset as reset_sign_in_failures
from django.apps import apps
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from assurance import queries
from assurance.audit import AUDITED_MODELS, describe_entries
from assurance.models import REVIEWER_ROLES, Region, RoleKind, Sector, Service
from assurance.roles import roles_of
from reviews.models import Cycle, CycleState, Finding, FindingKind, JobStatus, Report, TeamMember


def require(rule, user, obj=None):
    """Answers 404, not 403, so that nobody learns what exists beyond their reach."""
    if not rules.test_rule(rule, user, obj):
        raise Http404


def _with_cycles(services):
    cycles = Cycle.objects.select_related("edition__framework").order_by("-opened_at")
    return services.prefetch_related(Prefetch("cycles", queryset=cycles))


@login_required
def home(request):
    roles = roles_of(request.user)
    context = {"roles": roles, "sections": []}
    lead_or_staff = roles.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF)
    visible = queries.services_visible_to(request.user)
    if roles.is_network_admin:
        context["network"] = _network_overview()
    if lead_or_staff:
        context["work_services"] = _with_cycles(visible.filter(pk__in=lead_or_staff))
    if roles.has(RoleKind.MEMBER):
        context["member_services"] = _with_cycles(visible.filter(pk__in=roles.service_ids(RoleKind.MEMBER)))
    if roles.kinds & REVIEWER_ROLES:
        context["reviewer_roles"] = [
            role for role in request.user.roles.select_related("service") if role.kind in REVIEWER_ROLES
        ]
        context["visits"] = TeamMember.objects.filter(user=request.user).select_related(
            "visit__cycle__service", "visit__cycle__edition__framework"
        ).order_by("visit__date")
    if roles.has(RoleKind.COMMISSIONER):
        context["commissioned_services"] = _with_cycles(
            visible.filter(pk__in=roles.service_ids(RoleKind.COMMISSIONER))
        )
    context["has_no_role"] = not roles.kinds and not roles.is_network_admin
    context["ready_reports"] = Report.objects.filter(
        requested_by=request.user, status=JobStatus.READY, seen_by_requester=False
    ).select_related("edition__framework")
    return render(request, "assurance/home.html", context)


def _network_overview():
    cycles_by_state = dict(Cycle.objects.values_list("state").annotate(n=Count("id")))
    active = Q(services__is_active=True)
    return {
        "urgent_concerns": Finding.objects.filter(kind=FindingKind.URGENT, acknowledged_at__isnull=True)
        .select_related("cycle__service", "created_by")
        .order_by("created_at"),
        "service_count": Service.objects.filter(is_active=True).count(),
        "regions": Region.objects.annotate(n=Count("services", filter=active)).order_by("name"),
        "sectors": Sector.objects.annotate(n=Count("services", filter=active)).order_by("name"),
        "cycles_by_state": [(label, cycles_by_state.get(state, 0)) for state, label in CycleState.choices],
        "recent_changes": describe_entries(
            LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")[:8]
        ),
    }


@login_required
def service_list(request):
    services = queries.services_visible_to(request.user)
    filters = {
        "region": Region.objects.order_by("name"),
        "sector": Sector.objects.order_by("name"),
    }
    selected = {key: request.GET.get(key, "") for key in ("region", "sector", "q")}
    if selected["region"]:
        services = services.filter(region__slug=selected["region"])
    if selected["sector"]:
        services = services.filter(sector__slug=selected["sector"])
    if selected["q"]:
        services = services.filter(name__icontains=selected["q"])
    page = Paginator(services.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assurance/service_list.html",
        {"page": page, "filters": filters, "selected": selected, "total": page.paginator.count},
    )


@login_required
def service_detail(request, slug):
    service = get_object_or_404(_with_cycles(queries.services_visible_to(request.user)), slug=slug)
    people = None
    if rules.test_rule("view_service_people", request.user, service):
        people = queries.people_of_service(service)
    return render(request, "assurance/service_detail.html", {"service": service, "people": people})


@login_required
def audit_log(request):
    require("view_audit_log", request.user)
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    kinds = _audited_content_types()
    selected = {key: request.GET.get(key, "") for key in ("kind", "actor", "q")}
    if selected["kind"].isdigit():
        entries = entries.filter(content_type_id=int(selected["kind"]))
    if selected["actor"]:
        entries = entries.filter(actor__username=selected["actor"])
    if selected["q"]:
        entries = entries.filter(object_repr__icontains=selected["q"])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assurance/audit_log.html",
        {"page": page, "entries": describe_entries(page.object_list), "kinds": kinds, "selected": selected},
    )


def _audited_content_types():
    models = [apps.get_model(app_label, name) for app_label, name, _excluded in AUDITED_MODELS]
    content_types = ContentType.objects.get_for_models(*models)
    return sorted(
        ((ct.pk, str(model._meta.verbose_name).capitalize()) for model, ct in content_types.items()),
        key=lambda choice: choice[1],
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the emailed link also lifts a pause on signing in to that
    account: the paused page offers a password reset as the way back in."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_sign_in_failures(username=self.user.get_username())
        return response
