"""A commissioner's portfolio: one row per service they commission, with where its current
cycle is, its latest review whose agreed ratings they may see (met, partly met and not met by
value, in the three voices: agreed, the staff's own and the members' answers), the award and when
it ends, the members' response rate, the network position, the trend, overdue and urgent items
and the next date, all as the disclosure policy shows them to the reader (a commissioner sees a
review's results once it is final, and urgent concerns only when a network administrator
escalates them). A fixed number of queries, whatever the number of services or reviews."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.cycles.models import Cycle, CycleEvent, CycleState
from reviews.decisions.models import Appeal, AppealStatus, FollowUp, FollowUpStatus, InterimReview
from reviews.disclosure import Fact, disclosure
from reviews.members.models import Channel, MemberResponse, MemberResponseAnswer
from reviews.peer.models import Action, AgreedRating, Decision, Finding, FindingKind
from reviews.reports.figures import network_spread
from reviews.scoring import percent_met, percentage, rag_colour
from reviews.selfassessment.models import Perspective, SelfRating
from reviews.selfassessment.queries import RATERS
from standards.models import Criterion, RatingLevel, Value

OUTCOMES = ("met", "partly", "not_met")
ANSWERS = ("yes", "sometimes", "no")
RAG_LABELS = {"green": lambda: _("Green"), "amber": lambda: _("Amber"), "red": lambda: _("Red"),
              "none": lambda: _("Not applicable"), "unrated": lambda: _("Not yet rated")}
# A mark in every cell of the RAG grid, so that it never relies on colour alone.
RAG_MARKS = {"green": "G", "amber": "A", "red": "R", "none": "N/A", "unrated": "–"}
# The stages a review goes through, in order, as a reader follows them (closed is after the end).
STAGES = [state for state in CycleState if state != CycleState.CLOSED]


def portfolio_rows(services, reader, today=None):
    rows = portfolio(services, reader, today or timezone.localdate())
    for row in rows:
        row["red_count"] = sum(1 for value in row["values"] if value["rag"] == "red")
    return rows


def portfolio(services, reader, today):
    services = list(services)
    cycles = list(
        Cycle.objects.filter(service__in=services).select_related("edition", "visit").prefetch_related("visit__team")
        .order_by("opened_at", "pk")
    )
    seen = {cycle.pk: disclosure(reader, cycle) for cycle in cycles}
    results = [c for c in cycles if c.state in CycleState.SETTLED and Fact.AGREED_RATINGS in seen[c.pk]]
    latest = _latest_by_service(results)
    under_way = {c.service_id: c for c in cycles if c.state in CycleState.UNDER_WAY and Fact.STAGE in seen[c.pk]
                 and latest.get(c.service_id) is not c}
    levels = _levels([c.edition_id for c in cycles])
    agreed = _agreed_tallies([c.pk for c in results], levels, {c.pk: c.edition_id for c in results})
    values = {}
    for value in Value.objects.filter(edition__in={c.edition_id for c in latest.values()}).order_by("order"):
        values.setdefault(value.edition_id, []).append(value)
    voices = _voices(latest.values(), seen, levels)
    decisions = {d.cycle_id: d for d in Decision.objects.filter(cycle__in=[c.pk for c in cycles])
                 if Fact.DECISION in seen[d.cycle_id]}
    appeals = _appeals(decisions, seen)
    overdue = _by_service(action for action in Action.objects.filter(cycle__service__in=services, carried_to__isnull=True)
                          .overdue().select_related("cycle").order_by("due_date")
                          if _action_disclosed(action, seen[action.cycle_id]))
    urgent = _by_service(_urgent_concerns(services, seen))
    responses = _responses([*latest.values(), *under_way.values()], seen)
    later = _later_dates(list(latest.values()), seen, today)
    progress = _progress(list(under_way.values()), seen)
    context = {"cycles": cycles, "results": results, "agreed": agreed, "values": values, "voices": voices,
               "decisions": decisions, "overdue": overdue, "urgent": urgent, "responses": responses,
               "later": later, "progress": progress, "seen": seen, "today": today}
    rows = []
    for service in services:
        row = _row(service, latest.get(service.pk), under_way.get(service.pk), context)
        row["appeal"] = appeals.get(row["decision"].cycle_id) if row["decision"] else None
        rows.append(row)
    return rows


def _latest_by_service(results):
    latest = {}
    for cycle in results:  # oldest first: the last one stays
        latest[cycle.service_id] = cycle
    return latest


def _row(service, latest, under_way, context):
    own = [c for c in context["cycles"] if c.service_id == service.pk]
    shown = [c for c in context["results"] if c.service_id == service.pk]
    agreed = context["agreed"].get(latest.pk, {}) if latest else {}
    decision = context["decisions"].get(latest.pk) if latest else None
    overall = _sum_tallies(agreed.values())
    row = {
        "service": service,
        "current": own[-1] if own else None,
        "latest": latest,
        "under_way": _under_way(under_way, context) if under_way else None,
        "decision": decision,
        "award": award(decision, context["today"]),
        "values": _value_rows(latest, agreed, context) if latest else [],
        "overall": overall if latest else None,
        "percent_met": percent_met(overall["met"], overall["applicable"]) if latest else None,
        "trend": [{"label": c.opened_at.strftime("%b %Y"),
                   "percent_met": _sum_tallies(context["agreed"].get(c.pk, {}).values())["percent_met"]}
                  for c in shown],
        "voices": context["voices"]["shown"].get(latest.pk, {}) if latest else {},
        "network_services": context["voices"]["network"].get(latest.pk, {}).get("services") if latest else None,
        "responses": context["responses"].get(latest.pk) if latest else None,
        "overdue_actions": context["overdue"].get(service.pk, []),
        "urgent_concerns": context["urgent"].get(service.pk, []),
    }
    row["next_dates"] = _next_dates(row, context)
    return row


def _value_rows(cycle, agreed, context):
    """Each value of the cycle's edition: its agreed tally and RAG, the staff's own tally and the
    members' shares (where the reader sees them), and the network's median and middle half."""
    edition = cycle.edition
    staff = context["voices"]["staff"].get(cycle.pk, {})
    members = context["voices"]["members"].get(cycle.pk, {})
    network = context["voices"]["network"].get(cycle.pk, {}).get("values", {})
    staff_shown = context["voices"]["shown"][cycle.pk]["staff"]
    rows = []
    for value in context["values"].get(edition.pk, []):
        counts = agreed.get(value.code) or _empty_tally()
        rated = counts["applicable"] + counts["not_applicable"] > 0
        rag = rag_colour(counts["percent_met"], bool(counts["tier_one_unmet"]), edition.rag_green_from,
                         edition.rag_amber_from) if rated else "unrated"
        rows.append({
            "code": value.code, "name": value.name, "percent_met": counts["percent_met"], "rag": rag,
            "rag_label": RAG_LABELS[rag](), "rag_mark": RAG_MARKS[rag],
            "agreed": counts,
            "staff": (staff.get(value.code) or _empty_tally()) if staff_shown else None,
            "members": members.get(value.code),
            "network": network.get(value.code),
        })
    return rows


# --- agreed and staff ratings: met, partly met, not met ---------------------------------------


def _levels(edition_ids):
    """{edition id: (bottom level value, top level value)}: one query."""
    found = {}
    for edition_id, value in RatingLevel.objects.filter(edition__in=set(edition_ids)).values_list("edition_id", "value"):
        low, high = found.get(edition_id, (value, value))
        found[edition_id] = (min(low, value), max(high, value))
    return found


def _outcome(level, not_applicable, bounds):
    """"met" (the top level), "not_met" (the lowest), "partly" (between), "not_applicable" or "unrated"."""
    if not_applicable:
        return "not_applicable"
    if level is None or bounds is None:
        return "unrated"
    low, high = bounds
    return "met" if level >= high else "not_met" if level <= low else "partly"


def _empty_tally():
    return {"met": 0, "partly": 0, "not_met": 0, "not_applicable": 0, "unrated": 0, "tier_one_unmet": 0,
            "applicable": 0, "percent_met": None, "percent_partly": None, "percent_not_met": None}


def _finish(tally):
    applicable = tally["met"] + tally["partly"] + tally["not_met"]
    tally.update(applicable=applicable, percent_met=percent_met(tally["met"], applicable),
                 percent_partly=percentage(tally["partly"], applicable),
                 percent_not_met=percentage(tally["not_met"], applicable))
    return tally


def _sum_tallies(tallies):
    total = _empty_tally()
    for tally in tallies:
        for key in (*OUTCOMES, "not_applicable", "unrated", "tier_one_unmet"):
            total[key] += tally[key]
    return _finish(total)


def _tally_rows(rows, levels, editions, tier=False):
    """{cycle id: {value code: tally}} from rows grouped by cycle, value, level and Not applicable."""
    tallies = {}
    for row in rows:
        outcome = _outcome(row["level__value"], row["not_applicable"], levels.get(editions[row["cycle_id"]]))
        tally = tallies.setdefault(row["cycle_id"], {}).setdefault(row["criterion__value__code"], _empty_tally())
        tally[outcome] += row["n"]
        if tier and row["criterion__tier"] == 1 and outcome in ("partly", "not_met"):
            tally["tier_one_unmet"] += row["n"]
    for by_value in tallies.values():
        for tally in by_value.values():
            _finish(tally)
    return tallies


def _agreed_tallies(cycle_ids, levels, editions):
    """The agreed ratings of these cycles by value: one query."""
    rows = (AgreedRating.objects.filter(cycle__in=cycle_ids)
            .values("cycle_id", "criterion__value__code", "criterion__tier", "level__value", "not_applicable")
            .annotate(n=Count("pk")).order_by())
    return _tally_rows(rows, levels, editions, tier=True)


def _staff_tallies(cycles, levels):
    """The staff's own ratings of these cycles by value: one query."""
    editions = {cycle.pk: cycle.edition_id for cycle in cycles}
    rows = (SelfRating.objects.filter(cycle__in=list(editions), perspective=Perspective.STAFF)
            .values("cycle_id", "criterion__value__code", "level__value", "not_applicable")
            .annotate(n=Count("pk")).order_by())
    return _tally_rows(rows, levels, editions)


# --- the other voices and the network ----------------------------------------------------------


def _voices(latest, seen, levels):
    """The staff's and the members' voices, and the network's figures, of the latest results: each
    only for the cycles whose reader sees it. A fixed number of queries (the network's spread is
    cached per edition)."""
    latest = list(latest)
    shown = {c.pk: {"staff": Fact.STAFF_RATINGS in seen[c.pk], "members": Fact.MEMBER_COUNTS in seen[c.pk],
                    "network": Fact.NETWORK_COMPARISON in seen[c.pk]} for c in latest}
    staff = _staff_tallies([c for c in latest if shown[c.pk]["staff"]], levels)
    members = _members_shares([c for c in latest if shown[c.pk]["members"]])
    network = {}
    spreads = {}
    for cycle in latest:
        if not shown[cycle.pk]["network"]:
            continue
        if cycle.edition_id not in spreads:
            spreads[cycle.edition_id] = network_spread(cycle.edition)
        spread = spreads[cycle.edition_id]
        if spread:
            network[cycle.pk] = {"services": spread["services"], "values": {row["code"]: row for row in spread["values"]}}
    for cycle in latest:
        shown[cycle.pk]["network"] = cycle.pk in network
        shown[cycle.pk]["members"] = shown[cycle.pk]["members"] and bool(members.get(cycle.pk))
    return {"shown": shown, "staff": staff, "members": members, "network": network}


def _members_shares(cycles):
    """{cycle id: {value code: shares of Yes, Sometimes and No}}, pooled over the value's questions
    that at least the edition's minimum of members answered (below it no count is used at all).
    One query."""
    minimum = {cycle.pk: cycle.edition.members_minimum for cycle in cycles}
    rows = (MemberResponseAnswer.objects.filter(response__cycle__in=list(minimum))
            .exclude(response__channel=Channel.GROUP)
            .values("response__cycle_id", "criterion__value__code", "criterion_id", "answer")
            .annotate(n=Count("pk")).order_by())
    questions = {}
    for row in rows:
        key = (row["response__cycle_id"], row["criterion__value__code"], row["criterion_id"])
        questions.setdefault(key, dict.fromkeys(ANSWERS, 0))
        if row["answer"] in ANSWERS:
            questions[key][row["answer"]] += row["n"]
    pooled = {}
    for (cycle_id, code, _criterion), counts in questions.items():
        if sum(counts.values()) < minimum[cycle_id]:
            continue
        value = pooled.setdefault(cycle_id, {}).setdefault(code, {**dict.fromkeys(ANSWERS, 0), "questions": 0})
        value["questions"] += 1
        for answer in ANSWERS:
            value[answer] += counts[answer]
    for by_value in pooled.values():
        for value in by_value.values():
            total = sum(value[answer] for answer in ANSWERS)
            value.update({f"share_{answer}": percentage(value[answer], total) for answer in ANSWERS}, answers=total)
    return pooled


def _responses(cycles, seen):
    """{cycle id: members' responses and the rate against the members stated}, for the cycles whose
    reader sees how many members answered: one query."""
    wanted = {cycle.pk: cycle for cycle in cycles if Fact.MEMBER_RESPONSES in seen[cycle.pk]}
    counts = {}
    for cycle_id, channel, n in (MemberResponse.objects.filter(cycle__in=list(wanted))
                                 .values_list("cycle_id", "channel").annotate(n=Count("pk")).order_by()):
        entry = counts.setdefault(cycle_id, {"individual": 0, "meetings": 0})
        entry["meetings" if channel == Channel.GROUP else "individual"] += n
    found = {}
    for pk, cycle in wanted.items():
        entry = counts.get(pk, {"individual": 0, "meetings": 0})
        stated = cycle.members_stated
        found[pk] = {**entry, "stated": stated, "rate": percentage(entry["individual"], stated) if stated else None}
    return found


# --- a review under way ------------------------------------------------------------------------


def _progress(cycles, seen):
    """For reviews under way: staff criteria answered of those they answer, and when each stage
    was reached. Three queries."""
    ids = [cycle.pk for cycle in cycles]
    answered = dict(SelfRating.objects.filter(cycle__in=ids, perspective=Perspective.STAFF)
                    .filter(Q(level__isnull=False) | Q(not_applicable=True))
                    .values_list("cycle_id").annotate(n=Count("pk")).order_by())
    totals = dict(Criterion.objects.filter(edition__in={c.edition_id for c in cycles},
                                           rated_by__in=RATERS[Perspective.STAFF])
                  .values_list("edition_id").annotate(n=Count("pk")).order_by())
    reached = {}
    for cycle_id, state, at in (CycleEvent.objects.filter(cycle__in=ids).order_by("at", "pk")
                                .values_list("cycle_id", "to_state", "at")):
        reached.setdefault(cycle_id, {})[state] = timezone.localdate(at)
    return {cycle.pk: {"answered": answered.get(cycle.pk, 0), "total": totals.get(cycle.edition_id, 0),
                       "reached": reached.get(cycle.pk, {})} for cycle in cycles}


def _under_way(cycle, context):
    """What the reader sees of a review under way: its stage, its dates and how far it has got."""
    disclosed = context["seen"][cycle.pk]
    progress = context["progress"][cycle.pk]
    visit = getattr(cycle, "visit", None)
    dates = [(_("Opened"), timezone.localdate(cycle.opened_at))]
    to_come = []  # the dates still ahead of this stage
    if cycle.self_assessment_due:
        dates.append((_("Self-assessment due"), cycle.self_assessment_due))
        if cycle.state == CycleState.OPEN:
            to_come.append(dates[-1])
    if cycle.submitted_at:
        dates.append((_("Self-assessment submitted"), timezone.localdate(cycle.submitted_at)))
    if cycle.visit_due:
        dates.append((_("Visit due by"), cycle.visit_due))
        if cycle.state in (CycleState.OPEN, CycleState.SELF_ASSESSMENT_SUBMITTED):
            to_come.append(dates[-1])
    if visit is not None and visit.date and Fact.VISIT_PLAN in disclosed:
        dates.append((_("Visit"), visit.date))
        to_come.append(dates[-1])
    now = STAGES.index(cycle.state)
    stages = [{"label": stage.label, "state": "done" if i < now else "now" if i == now else "next",
               "date": progress["reached"].get(stage.value) if i <= now else None}
              for i, stage in enumerate(STAGES)]
    stages[0]["date"] = timezone.localdate(cycle.opened_at)
    return {
        "cycle": cycle,
        "stage": cycle.get_state_display(),
        "dates": dates,
        "to_come": to_come,
        "stages": stages,
        "staff_answered": progress["answered"] if cycle.state == CycleState.OPEN else progress["total"],
        "staff_total": progress["total"],
        "responses": context["responses"].get(cycle.pk),
    }


# --- dates to come -----------------------------------------------------------------------------


def _later_dates(cycles, seen, today):
    """{cycle id: [(what, date)]}: interim reviews and follow-up reviews still to come, for the
    readers who see them. Two queries."""
    found = {}
    for interim in InterimReview.objects.filter(cycle__in=[c.pk for c in cycles], submitted_at__isnull=True):
        if Fact.INTERIM_REVIEW in seen[interim.cycle_id]:
            found.setdefault(interim.cycle_id, []).append((_("Interim review due"), interim.due_on))
    for follow_up in FollowUp.objects.filter(cycle__in=[c.pk for c in cycles]).exclude(status=FollowUpStatus.DECIDED):
        if Fact.FOLLOW_UP in seen[follow_up.cycle_id]:
            found.setdefault(follow_up.cycle_id, []).append((_("Follow-up review due"), follow_up.due_on))
    return found


def _next_dates(row, context):
    """The dates to come, soonest first: the award's end, an interim or follow-up review, and the
    dates of a review under way."""
    today = context["today"]
    dates = []
    decision = row["decision"]
    if decision is not None and decision.is_award and decision.valid_until:
        dates.append((_("Award ends") if decision.valid_until >= today else _("Award ended"), decision.valid_until))
    if row["latest"] is not None:
        dates += context["later"].get(row["latest"].pk, [])
    if row["under_way"]:
        dates += row["under_way"]["to_come"]
    upcoming = sorted((d for d in dates if d[1] >= today), key=lambda d: d[1])
    past = [d for d in dates if d[1] < today]
    return [{"label": what, "date": when, "past": when < today} for what, when in upcoming + past]


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


def weeks_or_months(days):
    """"6 days", "6 weeks", "4 months": how far off a date is, in the unit a reader plans in."""
    if days < 14:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if days < 120:
        return _("%(n)d weeks") % {"n": round(days / 7)}
    return _("%(n)d months") % {"n": round(days / 30.4)}


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
