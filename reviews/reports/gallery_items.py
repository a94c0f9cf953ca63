"""What the report gallery renders: each PDF kind, for every cycle and reader it is made for,
built by the functions the pages and the worker use (see gallery.py)."""

import rules
from django.db.models import Q
from django.utils import timezone

from assurance.models import RoleKind, User
from reviews.cycles.models import Cycle, CycleState
from reviews.peer.models import TeamRole
from reviews.reports.build import build_network_report, build_portfolio_report, build_summary
from reviews.reports.queries import commissioned_services, final_reports
from reviews.reports.services import draft_service_report, final_copy_for, read_pdf
from reviews.reports.visit_pack import build_visit_pack
from standards.models import Edition


def _people(kind, **where):
    return User.objects.filter(roles__kind=kind, **where).distinct().order_by("username")


def every_report():
    admin = _people(RoleKind.NETWORK_ADMIN).first()
    cycles = Cycle.objects.select_related("service", "edition").order_by("service__name", "opened_at", "pk")
    for cycle in cycles:
        yield from _service_reports(cycle, admin)
    for commissioner in _people(RoleKind.COMMISSIONER):
        yield from _commissioners_reports(commissioner)
    yield from _network_reports()


def _service_reports(cycle, admin):
    name = f"{cycle.service.name}, {cycle.edition.version}, {cycle.get_state_display()}"
    readers = [admin, _people(RoleKind.SERVICE_LEAD, roles__service=cycle.service_id).first(),
               _people(RoleKind.COMMISSIONER, roles__service=cycle.service_id).first()]
    readers = [reader for reader in readers if reader is not None and rules.test_rule("view_report", reader, cycle)]
    latest = final_reports(cycle).order_by("-version").first()
    if latest is not None:
        for reader in readers:
            yield f"{name}: final report v{latest.version}", _who(reader), read_pdf(final_copy_for(latest, reader))
    if latest is None:  # a review under way has a draft; a decided one without a final, a working copy
        kind = "working copy" if cycle.state in CycleState.CONCLUDED else "draft report"
        for reader in readers:
            yield f"{name}: {kind}", _who(reader), read_pdf(draft_service_report(cycle, reader=reader))
    lead_reviewer = User.objects.filter(team_places__visit__cycle=cycle, team_places__role=TeamRole.LEAD_REVIEWER).first()
    if lead_reviewer is not None and cycle.state not in CycleState.CONCLUDED and rules.test_rule("print_visit_pack", lead_reviewer, cycle):
        yield f"{name}: visit pack", _who(lead_reviewer), build_visit_pack(cycle, lead_reviewer).content


def _commissioners_reports(commissioner):
    yield "Commissioning portfolio", _who(commissioner), build_portfolio_report(commissioner).pdf
    for service in commissioned_services(commissioner):
        yield f"{service.name}: one-page summary", _who(commissioner), build_summary(service, commissioner).pdf


def _network_reports():
    this_year = timezone.localdate().year
    for edition in Edition.objects.select_related("framework").filter(
        Q(cycles__state__in=CycleState.CONCLUDED)
    ).distinct().order_by("framework__name", "version"):
        for year in (this_year - 1, this_year):
            if edition.cycles.filter(state__in=CycleState.CONCLUDED, opened_at__year=year).exists():
                title = f"Network report, {edition.framework.name} {edition.version}, {year}"
                yield title, "network administrator", build_network_report(edition, year).pdf


def _who(user):
    return f"{user.get_full_name() or user.username}, {user.username}"
