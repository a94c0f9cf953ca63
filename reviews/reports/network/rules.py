"""The network report's rules (see the package's docstring): the final reviews it counts, the
smallest number of services a figure may describe, the facts it may draw on, and services' codes."""

from django.conf import settings
from django.utils.crypto import salted_hmac

from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import POLICY, Audience

RULES = [
    "Only reviews whose report is final are counted.",
    "No figure describes fewer than {minimum} services: smaller groups, criteria and counts are not shown "
    "(marked “fewer than {minimum}”), and where a hidden count could be worked out from a total, the next "
    "smallest count is hidden too.",
    "Services appear only by a code that changes every year. Each service can learn its own code from the "
    "network; nobody can work a service out from its code.",
    "Nothing here ranks services: codes are listed in the order of the code, never by result, and never "
    "beside a sector or region.",
    "Findings are counted by the services that have them, and their words are not shown unless services are "
    "named; urgent concerns are only ever counted.",
]


def minimum_services():
    return settings.NETWORK_MINIMUM_SERVICES


def network_sees(fact):
    """Whether the disclosure policy lets the network's administrators see this fact of every
    concluded review: the network report draws on no fact it does not."""
    return CycleState.CONCLUDED <= POLICY[fact].get(Audience.ADMIN, frozenset())


def service_code(service, year):
    """The service's code in the network reports of `year`: keyed with a secret, so it cannot be
    recomputed from what anyone knows of the service, and different every year."""
    digest = salted_hmac("relational-assurance.network-report-code", f"{year}:{service.pk}",
                         secret=settings.NETWORK_CODE_SECRET, algorithm="sha256").hexdigest()
    return f"S-{digest[:6].upper()}"


def final_reviews_of_year(edition, year):
    """{service id: its latest final cycle of the edition opened in the year}."""
    latest = {}
    for cycle in (
        Cycle.objects.filter(edition=edition, state__in=CycleState.CONCLUDED, opened_at__year=year)
        .select_related("service__sector", "service__region")
        .order_by("opened_at", "pk")
    ):
        latest[cycle.service_id] = cycle
    return latest


def at_least(count, minimum):
    """The count, or None where it is made of fewer than `minimum` services (none at all is shown)."""
    return count if count == 0 or count >= minimum else None


def suppressed(counts, minimum, hidden=None):
    """{key: count, or None where hidden}. A count below `minimum` is hidden (as are `hidden`), and
    where exactly one count is hidden, the smallest shown one is hidden with it: the total of the
    others would otherwise give it away (complementary suppression)."""
    hidden = set(hidden or ()) | {key for key, n in counts.items() if 0 < n < minimum}
    shown = sorted((n, key) for key, n in counts.items() if key not in hidden and n > 0)
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    return {key: (None if key in hidden else n) for key, n in counts.items()}
