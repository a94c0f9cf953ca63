"""A commissioner's portfolio: one row per service they commission, with where its current
cycle is, its latest review whose agreed ratings they may see (met, partly met and not met by
value, in the three voices: agreed, the staff's own and the members' answers), the award and when
it ends, the members' response rate, the network position, the trend (like with like across
editions, as in the service report), overdue and urgent items and the next date, all as the
disclosure policy shows them to the reader (a commissioner sees a review's results once it is
final, and urgent concerns only when a network administrator escalates them). A fixed number of
queries, whatever the number of services or reviews.

The rows are put together here; tallies.py counts the agreed and the staff's ratings, voices.py
reads the members' answers and the network, under_way.py a review under way and the dates to come."""

from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle, CycleState
from reviews.decisions.models import Appeal, AppealStatus
from reviews.disclosure import Fact, disclosure
from reviews.peer.models import Action, Finding, FindingKind
from reviews.reports.figures import trend_note, trends
from reviews.reports.portfolio.tallies import agreed_tallies, empty_tally, level_bounds, sum_tallies
from reviews.reports.portfolio.under_way import later_dates, next_dates, review_under_way, stage_progress
from reviews.reports.portfolio.voices import member_responses, other_voices
from reviews.scoring import percent_met, rag_colour
from reviews.templatetags.award_tags import weeks_or_months
from standards.models import Value

RAG_LABELS = {"green": lambda: _("Green"), "amber": lambda: _("Amber"), "red": lambda: _("Red"),
              "none": lambda: _("Not applicable"), "unrated": lambda: _("Not yet rated")}
# A mark in every cell of the RAG grid, so that it never relies on colour alone.
RAG_MARKS = {"green": "G", "amber": "A", "red": "R", "none": "N/A", "unrated": "–"}


def portfolio_rows(services, reader, today=None, *, in_full=True):
    """A row for each service. in_full=False: only what the portfolio page shows (the decision and
    appeal, the stage, each value's agreed RAG, the trend, overdue actions and urgent concerns);
    the PDFs' other voices, award dates, members' responses and dates to come are left out."""
    rows = portfolio(services, reader, today or timezone.localdate(), in_full=in_full)
    for row in rows:
        row["red_count"] = sum(1 for value in row["values"] if value["rag"] == "red")
    return rows


def portfolio(services, reader, today, *, in_full=True):
    services = list(services)
    cycles = list(
        Cycle.objects.filter(service__in=services).select_related("edition", "visit", "decision")
        .prefetch_related("visit__team")
        .order_by("opened_at", "pk")
    )
    seen = {cycle.pk: disclosure(reader, cycle) for cycle in cycles}
    results = [c for c in cycles if c.state in CycleState.SETTLED and Fact.AGREED_RATINGS in seen[c.pk]]
    lines = _by_service_id(results)  # each service's reviews with results; the last is its latest
    latest = {service_id: line[-1] for service_id, line in lines.items()}
    under_way = {c.service_id: c for c in cycles if c.state in CycleState.UNDER_WAY and Fact.STAGE in seen[c.pk]
                 and latest.get(c.service_id) is not c}
    levels = level_bounds([c.edition_id for c in cycles])
    agreed = agreed_tallies([c.pk for c in latest.values()], levels, {c.pk: c.edition_id for c in latest.values()})
    values = {}
    for value in Value.objects.filter(edition__in={c.edition_id for c in latest.values()}).order_by("order"):
        values.setdefault(value.edition_id, []).append(value)
    decisions = {c.pk: c.decision for c in cycles if hasattr(c, "decision") and Fact.DECISION in seen[c.pk]}
    appeals = _appeals(decisions, seen)
    overdue = _by_service(action for action in Action.objects.filter(cycle__service__in=services, carried_to__isnull=True)
                          .overdue().select_related("cycle").order_by("due_date")
                          if _action_disclosed(action, seen[action.cycle_id]))
    context = {"cycles": _by_service_id(cycles), "agreed": agreed, "values": values, "decisions": decisions,
               "overdue": overdue, "urgent": _by_service(_urgent_concerns(services, seen)),
               "trends": trends(lines.values(), decisions), "seen": seen, "today": today, "voices": None,
               # each label translated once, not once for each of some 500 marks
               "rag_labels": {rag: label() for rag, label in RAG_LABELS.items()}}
    if in_full:
        context.update(voices=other_voices(latest.values(), seen, levels),
                       responses=member_responses([*latest.values(), *under_way.values()], seen),
                       later=later_dates(list(latest.values()), seen, today),
                       progress=stage_progress(list(under_way.values()), seen))
    rows = []
    for service in services:
        row = _row(service, latest.get(service.pk), context)
        if in_full:
            _add_details(row, under_way.get(service.pk), context)
        row["appeal"] = appeals.get(row["decision"].cycle_id) if row["decision"] else None
        rows.append(row)
    return rows


def _by_service_id(cycles):
    """{service id: its cycles, oldest first}."""
    found = {}
    for cycle in cycles:
        found.setdefault(cycle.service_id, []).append(cycle)
    return found


def _row(service, latest, context):
    own = context["cycles"].get(service.pk, [])
    agreed = context["agreed"].get(latest.pk, {}) if latest else {}
    overall = sum_tallies(agreed.values())
    trend = context["trends"].get(latest.pk, []) if latest else []
    return {
        "service": service,
        "current": own[-1] if own else None,
        # The stage's label from its enum: get_state_display() translates every stage's label first.
        "stage": CycleState(own[-1].state).label if own else None,
        "latest": latest,
        "decision": context["decisions"].get(latest.pk) if latest else None,
        "values": _value_rows(latest, agreed, context) if latest else [],
        "overall": overall if latest else None,
        "percent_met": percent_met(overall["met"], overall["applicable"]) if latest else None,
        "trend": trend,
        "trend_note": trend_note(trend),
        "overdue_actions": context["overdue"].get(service.pk, []),
        "urgent_concerns": context["urgent"].get(service.pk, []),
    }


def _add_details(row, under_way, context):
    """What the PDFs show besides: a review under way, the award's dates, the other voices, the
    members' response rate and the dates to come."""
    latest = row["latest"]
    row.update({
        "under_way": review_under_way(under_way, context) if under_way else None,
        "award": award(row["decision"], context["today"]),
        "voices": context["voices"]["shown"].get(latest.pk, {}) if latest else {},
        "network_services": context["voices"]["network"].get(latest.pk, {}).get("services") if latest else None,
        "responses": context["responses"].get(latest.pk) if latest else None,
    })
    row["next_dates"] = next_dates(row, context)


def _value_rows(cycle, agreed, context):
    """Each value of the cycle's edition: its agreed tally and RAG, the staff's own tally and the
    members' shares (where the reader sees them), and the network's median and middle half."""
    edition = cycle.edition
    voices = context["voices"] or {"staff": {}, "members": {}, "network": {}, "shown": {}}
    staff = voices["staff"].get(cycle.pk, {})
    members = voices["members"].get(cycle.pk, {})
    network = voices["network"].get(cycle.pk, {}).get("values", {})
    staff_shown = voices["shown"].get(cycle.pk, {}).get("staff", False)
    rows = []
    for value in context["values"].get(edition.pk, []):
        counts = agreed.get(value.code) or empty_tally()
        rated = counts["applicable"] + counts["not_applicable"] > 0
        rag = rag_colour(counts["percent_met"], bool(counts["tier_one_unmet"]), edition.rag_green_from,
                         edition.rag_amber_from) if rated else "unrated"
        rows.append({
            "code": value.code, "name": value.name, "percent_met": counts["percent_met"], "rag": rag,
            "rag_label": context["rag_labels"][rag], "rag_mark": RAG_MARKS[rag],
            "agreed": counts,
            "staff": (staff.get(value.code) or empty_tally()) if staff_shown else None,
            "members": members.get(value.code),
            "network": network.get(value.code),
        })
    return rows


# --- decisions, actions and urgent concerns ----------------------------------------------------


def _appeals(decisions, seen):
    """{cycle id: the appeal that says where its decision stands (open, else last decided)}, for
    the cycles whose appeals the reader may know of. One query."""
    found = {}
    for appeal in (Appeal.objects.filter(cycle__in=list(decisions)).exclude(status=AppealStatus.WITHDRAWN)
                   .order_by("lodged_at", "pk")):
        if Fact.APPEAL in seen[appeal.cycle_id]:
            found[appeal.cycle_id] = appeal
    return found


def _action_disclosed(action, disclosed):
    return Fact.ACTIONS in disclosed or (action.carried_from_id is not None and Fact.CARRIED_ACTIONS in disclosed)


def _urgent_concerns(services, seen):
    """Urgent concerns waiting for the network, or, for a reader who sees only those escalated to
    them, the escalated ones of reviews still under way."""
    found = Finding.objects.filter(cycle__service__in=services, kind=FindingKind.URGENT).select_related("cycle")
    for finding in found.order_by("created_at", "pk"):
        disclosed = seen[finding.cycle_id]
        if Fact.URGENT_CONCERNS in disclosed and finding.acknowledged_at is None:
            yield finding
        elif (Fact.URGENT_CONCERNS not in disclosed and Fact.ESCALATED_URGENT_CONCERNS in disclosed
              and finding.is_escalated and finding.cycle.state != CycleState.CLOSED):
            yield finding


def _by_service(objects):
    grouped = {}
    for item in objects:
        grouped.setdefault(item.cycle.service_id, []).append(item)
    return grouped


def award(decision, today):
    """The award as the grid and the summary say it: its outcome, and until when it is valid
    ("valid until 3 March 2027", "expires in 6 weeks", "expired")."""
    if decision is None:
        return None
    state = decision.award_state(today)
    return {"outcome": decision.get_outcome_display(), "state": state,
            "valid_until": decision.valid_until if decision.is_award else None,
            "expires_in": weeks_or_months((decision.valid_until - today).days) if state == "expiring" else ""}


def portfolio_grid(rows):
    """The RAG grid: the values as columns (in their editions' order) and a cell for each service
    and value, "not yet rated" where the service has no results the reader may see."""
    columns = {}
    for row in rows:
        for value in row["values"]:
            columns.setdefault(value["code"], value["name"])
    unrated = {"rag": "unrated", "rag_mark": RAG_MARKS["unrated"], "rag_label": RAG_LABELS["unrated"]()}
    grid = []
    for row in rows:
        by_code = {value["code"]: value for value in row["values"]}
        cells = [by_code.get(code, unrated if not row["values"] else None) for code in columns]
        grid.append({"row": row, "cells": cells})
    return {"columns": [{"code": code, "name": name} for code, name in columns.items()], "rows": grid}
