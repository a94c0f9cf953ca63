"""The other voices of a portfolio's reviews: the staff's own ratings, the members' answers and
how many members answered, and the network's figures, each only where the reader sees it."""

from django.db.models import Count

from reviews.disclosure import Fact
from reviews.members.models import Channel, MemberResponse, MemberResponseAnswer
from reviews.reports.figures import network_spread
from reviews.reports.portfolio.tallies import staff_tallies
from reviews.scoring import percentage

ANSWERS = ("yes", "sometimes", "no")

def other_voices(latest, seen, levels):
    """The staff's and the members' voices, and the network's figures, of the latest results: each
    only for the cycles whose reader sees it. A fixed number of queries (the network's spread is
    cached per edition)."""
    latest = list(latest)
    shown = {c.pk: {"staff": Fact.STAFF_RATINGS in seen[c.pk], "members": Fact.MEMBER_COUNTS in seen[c.pk],
                    "network": Fact.NETWORK_COMPARISON in seen[c.pk]} for c in latest}
    staff = staff_tallies([c for c in latest if shown[c.pk]["staff"]], levels)
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


def member_responses(cycles, seen):
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


