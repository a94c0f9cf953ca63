"""The award as every page shows it: its outcome, until when it is valid, and whether it expires
soon or has expired, in words and with a mark that does not rely on colour.

`{% award_status decision %}`: for a Decision the reader may see.
`{% awards_of cycles as awards %}` and `{% current_awards services as awards %}`: the decisions of
a list the reader may see (reviews/disclosure.py), in a fixed number of queries."""


from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Fact, disclosure

register = template.Library()


def weeks_or_months(days):
    """"6 days", "6 weeks", "4 months": how far off a date is, in the unit a reader plans in."""
    if days < 14:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if days < 120:
        return _("%(n)d weeks") % {"n": round(days / 7)}
    return _("%(n)d months") % {"n": round(days / 30.4)}


def expires_in(valid_until, today):
    return _("expires in %(when)s") % {"when": weeks_or_months((valid_until - today).days)}


def award_context(decision, today=None):
    today = today or timezone.localdate()
    state = decision.award_state(today)
    return {
        "outcome": decision.get_outcome_display(),
        "state": state,
        "colour": {"valid": "green", "expiring": "amber", "expired": "red"}.get(state, "teal"),
        "valid_until": decision.valid_until if decision.is_award else None,
        "expires_in": expires_in(decision.valid_until, today) if state == "expiring" else "",
    }


@register.inclusion_tag("decisions/_award_status.html")
def award_status(decision, today=None):
    if decision is None:
        return {"outcome": None}
    return award_context(decision, today)


def decisions_seen(request, cycles):
    """{cycle id: its decision} for the concluded cycles among `cycles` whose decision the reader
    may see. Three queries, however many cycles."""
    wanted = [cycle.pk for cycle in cycles if cycle.state in CycleState.CONCLUDED]
    if request is None or not wanted:
        return {}
    found = Cycle.objects.filter(pk__in=wanted, decision__isnull=False).select_related("decision", "visit")
    return {cycle.pk: cycle.decision for cycle in found.prefetch_related("visit__team")
            if Fact.DECISION in disclosure(request.user, cycle)}


@register.simple_tag(takes_context=True)
def awards_of(context, cycles):
    """{cycle id: decision} for a list of cycles: `{% awards_of cycles as awards %}`, then
    `{% award_status awards|lookup:cycle.pk %}`."""
    return decisions_seen(context.get("request"), list(cycles))


@register.simple_tag(takes_context=True)
def current_awards(context, services):
    """{service id: the decision of its latest concluded cycle the reader may see}, for services
    fetched with their cycles, the latest first."""
    latest = {}
    for service in services:
        cycle = next((c for c in service.cycles.all() if c.state in CycleState.CONCLUDED), None)
        if cycle is not None:
            latest[cycle.pk] = service.pk
    seen = decisions_seen(context.get("request"), [Cycle(pk=pk, state=CycleState.FINAL) for pk in latest])
    return {latest[pk]: decision for pk, decision in seen.items()}

