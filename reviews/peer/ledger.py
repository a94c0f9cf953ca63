"""The reciprocity ledger: per service, the visits its reviewers gave to other services and the
visits it received. A network runs on give and take; suggestions for a team favour reviewers from
services that have received more than they gave."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assurance.models import Role, Service
from reviews.cycles.models import Cycle
from reviews.peer.records import REACHED_VISIT
from reviews.peer.ties import HOME_KINDS


@dataclass
class LedgerRow:
    service: object
    given: int
    received: int

    @property
    def balance(self):
        """Visits given less visits received: below zero, the service owes the network visits."""
        return self.given - self.received

    @property
    def owes(self):
        return self.received > self.given

    def sentence(self):
        """"Elm House has received 3 visits and given 1"."""
        return _("%(service)s has received %(received)s and given %(given)d") % {
            "service": self.service.name,
            "received": ngettext("%(n)d visit", "%(n)d visits", self.received) % {"n": self.received},
            "given": self.given,
        }


def visits_given(service_ids=None):
    """{service id: team places taken by people whose home is the service, on visits that took
    place}. A place counts once per service even when its reviewer holds several roles there."""
    roles = Role.objects.filter(kind__in=HOME_KINDS, service__isnull=False,
                                user__team_places__visit__cycle__state__in=REACHED_VISIT)
    if service_ids is not None:
        roles = roles.filter(service_id__in=service_ids)
    rows = roles.values("service_id").annotate(n=Count("user__team_places", distinct=True)).order_by()
    return {row["service_id"]: row["n"] for row in rows}


def visits_received(service_ids=None):
    """{service id: its review cycles whose visit took place}."""
    cycles = Cycle.objects.filter(state__in=REACHED_VISIT)
    if service_ids is not None:
        cycles = cycles.filter(service_id__in=service_ids)
    return {row["service_id"]: row["n"] for row in cycles.values("service_id").annotate(n=Count("pk")).order_by()}


def ledger_rows(services):
    """A LedgerRow per service. Two queries."""
    ids = [service.pk for service in services]
    given, received = visits_given(ids), visits_received(ids)
    return [LedgerRow(service, given.get(service.pk, 0), received.get(service.pk, 0)) for service in services]


def reciprocity_ledger():
    """Every active service's row, those that owe the network most first. Three queries."""
    services = list(Service.objects.filter(is_active=True).select_related("organisation", "region"))
    return sorted(ledger_rows(services), key=lambda row: (row.balance, row.service.name))
