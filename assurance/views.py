"""Pages of the network core: home, services, the audit log.

The home and service pages are assembled from panels (assurance.panels): the core shows what it
knows (the network, people and roles), and each app adds what it knows about a person or a
service, such as their reviews.
"""

import rules
from axes.utils import reset as reset_sign_in_failures
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from assurance import queries
from assurance.access import require
from assurance.audit import audited_models, describe_entries
from assurance.models import Region, Sector
from assurance.panels import Panel, panels
from assurance.roles import roles_of

HOME = "home"
NETWORK_CARDS = "home:network"
SERVICE_PAGE = "service"


@login_required
def home(request):
    roles = roles_of(request.user)
    context = {
        "roles": roles,
        "has_no_role": not roles.kinds and not roles.is_network_admin,
        "panels": panels(HOME, request),
    }
    return render(request, "assurance/home.html", context)


def network_panel(request):
    """The network at a glance, for its administrators (other apps add cards to it)."""
    if not rules.test_rule("view_network", request.user):
        return None
    return Panel("assurance/_network_panel.html", {
        **queries.network_counts(),
        "cards": panels(NETWORK_CARDS, request),
        "recent_changes": describe_entries(queries.audit_entries()[:8]),
    })


@login_required
def service_list(request):
    filters = {"region": Region.objects.order_by("name"), "sector": Sector.objects.order_by("name")}
    selected = {key: request.GET.get(key, "") for key in ("region", "sector", "q")}
    services = queries.services_visible_to(request.user)
    page = Paginator(queries.filtered_services(services, **selected), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assurance/service_list.html",
        {"page": page, "filters": filters, "selected": selected, "total": page.paginator.count},
    )


@login_required
def service_detail(request, slug):
    service = get_object_or_404(queries.services_visible_to(request.user), slug=slug)
    people = None
    if rules.test_rule("view_service_people", request.user, service):
        people = queries.people_of_service(service)
    context = {"service": service, "people": people, "panels": panels(SERVICE_PAGE, request, service=service)}
    return render(request, "assurance/service_detail.html", context)


@login_required
def audit_log(request):
    require("view_audit_log", request.user)
    kinds = _audited_content_types()
    selected = {key: request.GET.get(key, "") for key in ("kind", "actor", "q")}
    page = Paginator(queries.audit_entries(**selected), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assurance/audit_log.html",
        {"page": page, "entries": describe_entries(page.object_list), "kinds": kinds, "selected": selected},
    )


def _audited_content_types():
    content_types = ContentType.objects.get_for_models(*audited_models())
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
