"""Pages of the network core: home, services, the audit log.

The home and service pages are assembled from panels (assurance.panels): the core shows what it
knows (the network, people and roles), and each app adds what it knows about a person or a
service, such as their reviews.
"""

import rules
from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assurance import health as health_checks
from assurance import queries, throttle
from assurance.access import require
from assurance.audit import audited_models, describe_entries
from assurance.forms import SignInForm
from assurance.models import Region, Sector
from assurance.panels import Panel, panels
from assurance.roles import roles_of
from assurance.waiting import items_for

HOME = "home"
NETWORK_CARDS = "home:network"
SERVICE_PAGE = "service"


@login_required
def home(request):
    roles = roles_of(request.user)
    context = {
        "roles": roles,
        "has_no_role": not roles.kinds and not roles.is_network_admin,
        "waiting": items_for(request),
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


@never_cache
@require_GET
def health(request):
    """For a load balancer, without signing in: 200 while this host works, 503 when not."""
    checks, healthy = health_checks.checked()
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503)


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


class SignInView(auth_views.LoginView):
    """Signing in, paused for an address from which too many wrong passwords came, whatever
    usernames they were for (django-axes pauses each username and address pair on its own)."""

    authentication_form = SignInForm

    def post(self, request, *args, **kwargs):
        if throttle.sign_in_failures().reached(throttle.client_address(request)):
            # The password is not even tried; the username stays as typed.
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")})
            form.cleaned_data = {}
            form.add_error(None, _("Too many wrong passwords have come from your network. Signing in from it is "
                                   "paused for %(minutes)d minutes.") % {"minutes": settings.SIGN_IN_PAUSE_MINUTES})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def count_failed_sign_in(sender, credentials, request=None, **kwargs):
    """Receives user_login_failed (connected in AssuranceConfig.ready)."""
    if request is not None:
        throttle.sign_in_failures().record(throttle.client_address(request))


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a password reset email, at most a few an hour per account and per address.

    Past the account's limit the page says the same as when an email is sent, so that it never
    tells whether an account exists; past the address's limit it says to wait."""

    def form_valid(self, form):
        address = throttle.client_address(self.request)
        per_address = throttle.password_resets_per_address()
        if per_address.reached(address):
            form.add_error(None, _("Too many password resets have been asked for from your network. "
                                   "Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        per_address.record(address)
        email = form.cleaned_data["email"].strip().lower()
        per_account = throttle.password_resets_per_account()
        if per_account.reached(email):
            return HttpResponseRedirect(self.get_success_url())
        per_account.record(email)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the emailed link also lifts a pause on signing in to that
    account: the paused page offers a password reset as the way back in."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_sign_in_failures(username=self.user.get_username())
        return response
