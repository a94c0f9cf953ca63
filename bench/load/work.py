"""Open work for each simulated person of a load run, made with bulk inserts where nothing is
checked and through the domain services (as the demo does) where the stage matters."""

import datetime
import itertools

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assurance.demo import DEMO_PASSWORD, REGIONS, SECTORS, _named, current_editions
from assurance.models import Organisation, Region, Role, RoleKind, Sector, Service, User
from reviews.cycles.models import Cycle, CycleState
from reviews.cycles.services import open_cycle
from reviews.disclosure import WHOLE_REPORT
from reviews.peer.demo import Review
from reviews.peer.models import TeamRole
from reviews.reports.data import service_report_data
from reviews.reports.disclosed import for_reader
from reviews.reports.drawn_charts import drawn_service_charts
from reviews.reports.fingerprint import fingerprint
from reviews.reports.report_page import keep_report_data
from reviews.selfassessment.models import Perspective
from reviews.selfassessment.queries import criteria_for

ORGANISATION = "Load Test Services"
PORTFOLIO_SIZE = 50


def prepare_work(sizes):
    """sizes: persona → number of accounts. Returns the plan: persona → [work of one account]."""
    edition, _editions = current_editions()
    admin = User.objects.get(username="admin")
    services = _services(sizes["staff"] + sizes["reviewer"] + sizes["lead_reviewer"])
    staff_services = services[: sizes["staff"]]
    rating_services = services[sizes["staff"]: sizes["staff"] + sizes["reviewer"]]
    agreeing_services = services[sizes["staff"] + sizes["reviewer"]:]
    return {
        "password": DEMO_PASSWORD,
        "staff": _staff_work(staff_services, edition, admin),
        "member": _member_work(sizes["member"], staff_services),
        "reviewer": _reviewer_work(rating_services, edition, admin),
        "lead_reviewer": _lead_reviewer_work(agreeing_services, edition, admin),
        "administrator": [{"username": "admin", "reports": _final_cycles(Service.objects.filter(
            slug__startswith="bench-"))}],
        "commissioner": _commissioner_work(sizes["commissioner"]),
    }


def _accounts(prefix, count):
    password = make_password(DEMO_PASSWORD)
    return User.objects.bulk_create(
        User(username=f"load-{prefix}-{number:03d}", password=password, first_name=prefix.title().replace("-", " "),
             last_name=f"{number:03d}")
        for number in range(1, count + 1)
    )


@transaction.atomic
def _services(count):
    """`count` services of their own for the load run, each with a service lead of its own."""
    organisation = _named(Organisation, ORGANISATION)
    regions = [_named(Region, name) for name in REGIONS]
    sectors = [_named(Sector, name) for name in SECTORS]
    services = Service.objects.bulk_create(
        Service(name=f"Load service {number:03d}", slug=f"load-{number:03d}", organisation=organisation,
                region=regions[number % len(regions)], sector=sectors[number % len(sectors)])
        for number in range(1, count + 1)
    )
    leads = _accounts("lead", count)
    Role.objects.bulk_create(Role(user=lead, service=service, kind=RoleKind.SERVICE_LEAD)
                             for lead, service in zip(leads, services, strict=True))
    return services


def _staff_work(services, edition, admin):
    """Each staff account (half of them service leads) works on its own service's open self-assessment."""
    people = _accounts("staff", len(services))
    kinds = itertools.cycle([RoleKind.STAFF, RoleKind.SERVICE_LEAD])
    Role.objects.bulk_create(Role(user=person, service=service, kind=next(kinds))
                             for person, service in zip(people, services, strict=True))
    steps = list(dict.fromkeys(c.value.code for c in criteria_for(edition, Perspective.STAFF)))
    work = []
    today = timezone.localdate()
    for person, service in zip(people, services, strict=True):
        cycle = open_cycle(service=service, edition=edition, opened_by=admin,
                           self_assessment_due=today + datetime.timedelta(weeks=8),
                           visit_due=today + datetime.timedelta(weeks=14))
        work.append({"username": person.username, "cycle": cycle.pk, "steps": steps})
    return work


def _member_work(count, services):
    """Members of the staff's services, whose questionnaires are open while they self-assess."""
    people = _accounts("member", count)
    Role.objects.bulk_create(Role(user=person, service=services[index % len(services)], kind=RoleKind.MEMBER)
                             for index, person in enumerate(people))
    cycles = dict(Cycle.objects.filter(service__in=services).values_list("service_id", "pk"))
    return [{"username": person.username, "cycle": cycles[services[index % len(services)].pk]}
            for index, person in enumerate(people)]


class _VisitWaiting(Review):
    """A review on the day after its visit: everyone on the team but `waiting` has rated and submitted."""

    def __init__(self, *args, waiting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.waiting = waiting

    def _rate(self, submit_all):
        everyone = self.members
        self.members = [member for member in everyone if member.user_id != getattr(self.waiting, "pk", None)]
        super()._rate(submit_all=True)
        self.members = everyone


def _visits(services, edition, admin, team_for):
    """A review at its visit for each service; `team_for(index)`: [(user, place)], the one waiting first."""
    people = {user.username: user for user in User.objects.filter(username__in=["jo", "lee", "nia"])}
    cycles = []
    for index, service in enumerate(services):
        team = team_for(index, people)
        waiting = team[0][0] if team[0][1] != TeamRole.LEAD_REVIEWER else None
        review = _VisitWaiting(service, edition, team, people, admin, seed=index, agree_at_once=True,
                               accuracy_comments=False, waiting=waiting)
        cycles.append(review.run_to(CycleState.VISIT))
    return cycles


def _reviewer_work(services, edition, admin):
    people = _accounts("reviewer", len(services))
    Role.objects.bulk_create(Role(user=person, kind=RoleKind.PEER_REVIEWER) for person in people)

    def team(index, background):
        return [(people[index], TeamRole.PEER_REVIEWER), (background["lee"], TeamRole.LIVED_EXPERIENCE_REVIEWER),
                (background["nia"], TeamRole.LEAD_REVIEWER)]

    values = list(edition.values.order_by("order").values_list("code", flat=True))
    cycles = _visits(services, edition, admin, team)
    return [{"username": person.username, "cycle": cycle.pk, "values": values}
            for person, cycle in zip(people, cycles, strict=True)]


def _lead_reviewer_work(services, edition, admin):
    people = _accounts("lead-reviewer", len(services))
    Role.objects.bulk_create(Role(user=person, kind=RoleKind.LEAD_REVIEWER) for person in people)

    def team(index, background):
        return [(people[index], TeamRole.LEAD_REVIEWER), (background["jo"], TeamRole.PEER_REVIEWER),
                (background["lee"], TeamRole.LIVED_EXPERIENCE_REVIEWER)]

    criteria = list(edition.criteria.order_by("value__order", "order").values_list("code", flat=True))
    cycles = _visits(services, edition, admin, team)
    return [{"username": person.username, "cycle": cycle.pk, "criteria": criteria}
            for person, cycle in zip(people, cycles, strict=True)]


def _commissioner_work(count):
    """Each commissioner commissions PORTFOLIO_SIZE benchmark services, the demo's one its five."""
    people = _accounts("commissioner", count)
    bench = list(Service.objects.filter(slug__startswith="bench-").order_by("slug"))
    work = []
    for index, person in enumerate(people):
        portfolio = [bench[(index * PORTFOLIO_SIZE + offset) % len(bench)] for offset in range(min(PORTFOLIO_SIZE, len(bench)))]
        Role.objects.bulk_create(Role(user=person, service=service, kind=RoleKind.COMMISSIONER) for service in portfolio)
        work.append({"username": person.username, "reports": _final_cycles(portfolio)})
    demo = Service.objects.filter(roles__user__username="commissioner", roles__kind=RoleKind.COMMISSIONER)
    work.append({"username": "commissioner", "reports": _final_cycles(demo)})
    return work


def keep_reports_as_issued(plan):
    """Keeps the report data and draws the charts of every final review the plan's readers will
    open, as issuing its final report does in production (reviews.reports.services, when the
    decision is recorded). bench/network.py settles the benchmark's reviews without issuing their
    reports (a PDF each would take minutes more to prepare), so without this every report page of
    the run would be a first view that no production page is."""
    cycles = {cycle for work in itertools.chain.from_iterable(plan.values()) if isinstance(work, dict)
              for cycle in work.get("reports", [])}
    for cycle in Cycle.objects.filter(pk__in=cycles).select_related("service"):
        data = service_report_data(cycle)
        keep_report_data(cycle, data, fingerprint(cycle))
        drawn_service_charts(for_reader(data, WHOLE_REPORT))
    return len(cycles)


def _final_cycles(services, limit=200):
    """Cycles with a report to read: final or closed reviews of these services."""
    return list(Cycle.objects.filter(service__in=services, state__in=[CycleState.FINAL, CycleState.CLOSED])
                .order_by("pk").values_list("pk", flat=True)[:limit])
