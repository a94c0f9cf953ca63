"""CSV and JSON exports of review cycles. The schema is documented in docs/exports.md.

Each voice keeps its own columns: staff, members, each reviewer and the agreed rating are never
merged. What a person may not see on the pages is left out of their export, column by column.
The members' voice is counts only, empty below the edition's minimum of answers, and never what a
member wrote.

An edition's export is streamed: its cycles are read CYCLES_AT_ONCE at a time, and only their
ratings are held in memory while their lines are written, however many cycles the edition has.
"""

import csv
import io
import json
from itertools import batched

from django.db.models import Count

from reviews.cycles.models import Cycle
from reviews.disclosure import Fact
from reviews.members.queries import members_voices
from reviews.peer.models import AgreedRating, TeamMember
from reviews.peer.queries import counted_peer_ratings
from reviews.scoring import flags, spread
from reviews.selfassessment.models import Perspective, SelfRating
from standards.models import Criterion

SCHEMA_VERSION = "relational-assurance/export/1"
# Each section of an export, and the fact of the disclosure policy it shows.
SECTION_FACTS = {
    "staff": Fact.STAFF_WORDS,
    "members": Fact.MEMBER_COUNTS,
    "reviewers": Fact.REVIEWER_RATINGS,
    "agreed": Fact.AGREED_RATINGS,
}
SECTIONS = tuple(SECTION_FACTS)


def sections_for(disclosure):
    """The sections of an export this reader may see."""
    return tuple(name for name, fact in SECTION_FACTS.items() if fact in disclosure)


def _rating(rating):
    if rating is None:
        return {"rating": None, "level": None}
    if getattr(rating, "abstained", False):
        return {"rating": "Abstained", "level": None}
    if rating.not_applicable:
        return {"rating": "Not applicable", "level": None}
    if rating.level_id:
        return {"rating": rating.level.label, "level": rating.level.value}
    return {"rating": None, "level": None}


class CycleData:
    """Everything an export needs for a set of cycles of one edition, in nine queries (eight when
    the edition's criteria are given)."""

    def __init__(self, edition, cycles, criteria=None):
        self.edition = edition
        self.cycles = cycles
        ids = [c.pk for c in cycles]
        self.criteria = criteria if criteria is not None else edition_criteria(edition)
        self.self_ratings = {
            (r.cycle_id, r.criterion_id, r.perspective): r
            for r in SelfRating.objects.filter(cycle__in=ids, perspective=Perspective.STAFF)
            .select_related("level").prefetch_related("evidence")
        }
        self.voices = members_voices(cycles)
        self.teams = {}
        for member in TeamMember.objects.filter(visit__cycle__in=ids).select_related("user", "visit").order_by(
            "role", "user__last_name", "pk"
        ):
            self.teams.setdefault(member.visit.cycle_id, []).append(member)
        # The same ratings the pages count: a reviewer's drafts stay their own.
        self.peer = {
            (r.team_member_id, r.criterion_id): r for r in counted_peer_ratings(*ids).select_related("level")
        }
        self.agreed = {
            (a.cycle_id, a.criterion_id): a for a in AgreedRating.objects.filter(cycle__in=ids).select_related("level")
        }

    def team(self, cycle):
        return self.teams.get(cycle.pk, [])

    def criterion_record(self, cycle, criterion, sections):
        staff = self.self_ratings.get((cycle.pk, criterion.pk, Perspective.STAFF))
        voice = self.voices.get((cycle.pk, criterion.pk)) if "members" in sections else None
        record = {
            "value_code": criterion.value.code,
            "value_name": criterion.value.name,
            "criterion_code": criterion.code,
            "statement": criterion.statement,
            "tier": criterion.tier,
            "rated_by": criterion.rated_by,
        }
        if "staff" in sections:
            record["staff"] = {
                **_rating(staff),
                "not_applicable_reason": staff.not_applicable_reason if staff else "",
                "narrative": staff.narrative if staff else "",
                "evidence": [e.title for e in staff.evidence.all()] if staff else [],
            }
        if "members" in sections:
            record["members"] = _members(voice)
        if "reviewers" in sections:
            reviews = [(m, self.peer.get((m.pk, criterion.pk))) for m in self.team(cycle)]
            summary = spread([r.level.value if r and r.level_id else None for _m, r in reviews])
            found = flags(summary, _level(staff), voice.level if voice else None)
            record["reviewers"] = [
                {"name": str(m.user), "role": m.role, **_rating(r), "comment": r.comment if r else "",
                 "abstain_reason": r.abstain_reason if r else ""}
                for m, r in reviews
            ]
            record["reviewers_summary"] = {
                "median": summary.median, "low": summary.low, "high": summary.high, "count": summary.count,
                "reviewers_disagree": found.reviewers_disagree, "self_and_peers_differ": found.self_and_peers_differ,
                "members_and_peers_differ": found.members_and_peers_differ,
            }
        if "agreed" in sections:
            agreed = self.agreed.get((cycle.pk, criterion.pk))
            record["agreed"] = {**_rating(agreed), "rationale": agreed.rationale if agreed else ""}
        return record


def _members(voice):
    """The members' answers to one question as counts: None below the edition's minimum."""
    tally = voice.tally if voice else None
    shown = tally is not None and tally.shown
    return {
        "n": tally.decided if shown else None,
        **{answer: getattr(tally, answer) if shown else None for answer in ("yes", "sometimes", "no", "dont_know")},
        "meeting_answers": [{"members": size, "answer": answer} for size, answer in voice.groups] if voice else [],
        "level": voice.level if voice else None,
    }


def _meetings(answers):
    return "; ".join(f"{a['answer']} ({a['members']} members)" if a["members"] else a["answer"] for a in answers)


def _level(rating):
    return rating.level.value if rating is not None and rating.level_id else None


def cycle_header(cycle):
    return {
        "id": cycle.pk,
        "service": cycle.service.name,
        "state": cycle.state,
        "opened": cycle.opened_at.date().isoformat(),
        "edition": {"framework": cycle.edition.framework.slug, "version": cycle.edition.version},
    }


def cycle_json(cycle, sections, data=None):
    data = data or CycleData(cycle.edition, [cycle])
    values = []
    for criterion in data.criteria:
        if not values or values[-1]["code"] != criterion.value.code:
            values.append({"code": criterion.value.code, "name": criterion.value.name, "criteria": []})
        record = data.criterion_record(cycle, criterion, sections)
        for key in ("value_code", "value_name"):
            record.pop(key)
        values[-1]["criteria"].append(record)
    return {**cycle_header(cycle), "sections": list(sections), "values": values}


def export_json_for_cycle(cycle, sections):
    return {"schema": SCHEMA_VERSION, "cycle": cycle_json(cycle, sections)}


def edition_json_parts(edition):
    """The edition's JSON export, piece by piece: the same text as `json.dumps` of the whole
    ({"schema", "edition", "cycles": [...]}), one cycle at a time."""
    header = {"schema": SCHEMA_VERSION, "edition": {"framework": edition.framework.slug, "version": edition.version}}
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "cycles": ['
    separator = ""
    for cycle, data in _cycles_with_data(edition, edition_cycles(edition)):
        yield separator + json.dumps(cycle_json(cycle, SECTIONS, data), ensure_ascii=False)
        separator = ", "
    yield "]}"


def csv_columns(sections, reviewer_places):
    columns = ["service", "cycle_id", "cycle_state", "edition", "value_code", "value_name", "criterion_code",
               "tier", "rated_by", "statement"]
    if "staff" in sections:
        columns += ["staff_rating", "staff_level", "staff_not_applicable_reason", "staff_narrative", "staff_evidence"]
    if "members" in sections:
        columns += ["members_n", "members_yes", "members_sometimes", "members_no", "members_dont_know",
                    "members_meeting_answers", "members_level"]
    if "reviewers" in sections:
        for n in range(1, reviewer_places + 1):
            columns += [f"reviewer_{n}_name", f"reviewer_{n}_role", f"reviewer_{n}_rating", f"reviewer_{n}_level",
                        f"reviewer_{n}_comment"]
        columns += ["reviewers_median", "reviewers_low", "reviewers_high", "reviewers_count", "reviewers_disagree",
                    "self_and_peers_differ", "members_and_peers_differ"]
    if "agreed" in sections:
        columns += ["agreed_rating", "agreed_level", "agreed_rationale"]
    return columns


def _csv_row(cycle, record):
    row = {
        "service": cycle.service.name, "cycle_id": cycle.pk, "cycle_state": cycle.state,
        "edition": f"{cycle.edition.framework.slug}:{cycle.edition.version}",
        **{key: record[key] for key in ("value_code", "value_name", "criterion_code", "tier", "rated_by", "statement")},
    }
    if "staff" in record:
        staff = record["staff"]
        row.update(staff_rating=staff["rating"], staff_level=staff["level"],
                   staff_not_applicable_reason=staff["not_applicable_reason"], staff_narrative=staff["narrative"],
                   staff_evidence="; ".join(staff["evidence"]))
    if "members" in record:
        members = record["members"]
        row.update({f"members_{key}": members[key] for key in ("n", "yes", "sometimes", "no", "dont_know", "level")})
        row["members_meeting_answers"] = _meetings(members["meeting_answers"])
    if "reviewers" in record:
        for n, reviewer in enumerate(record["reviewers"], start=1):
            row.update({f"reviewer_{n}_name": reviewer["name"], f"reviewer_{n}_role": reviewer["role"],
                        f"reviewer_{n}_rating": reviewer["rating"], f"reviewer_{n}_level": reviewer["level"],
                        f"reviewer_{n}_comment": reviewer["comment"]})
        summary = record["reviewers_summary"]
        row.update({f"reviewers_{key}": summary[key] for key in ("median", "low", "high", "count")})
        row.update({key: summary[key] for key in ("reviewers_disagree", "self_and_peers_differ", "members_and_peers_differ")})
    if "agreed" in record:
        agreed = record["agreed"]
        row.update(agreed_rating=agreed["rating"], agreed_level=agreed["level"], agreed_rationale=agreed["rationale"])
    return row


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(row):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    return {key: f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value
            for key, value in row.items()}


def csv_lines(edition, cycles, sections):
    """The CSV text, line by line (for streaming large exports). `cycles`: a list, or a queryset
    read CYCLES_AT_ONCE at a time."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_columns(sections, _reviewer_places(cycles)), extrasaction="raise")
    writer.writeheader()
    yield buffer.getvalue()
    for cycle, data in _cycles_with_data(edition, cycles):
        for criterion in data.criteria:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(_spreadsheet_safe(_csv_row(cycle, data.criterion_record(cycle, criterion, sections))))
            yield buffer.getvalue()


CYCLES_AT_ONCE = 100  # cycles whose ratings an export holds in memory at a time


def _cycles_with_data(edition, cycles):
    """(cycle, the export's data for it and the cycles read with it), in order."""
    criteria = edition_criteria(edition)
    if hasattr(cycles, "iterator"):
        cycles = cycles.iterator(chunk_size=CYCLES_AT_ONCE)
    for batch in batched(cycles, CYCLES_AT_ONCE):
        data = CycleData(edition, list(batch), criteria)
        for cycle in batch:
            yield cycle, data


def _reviewer_places(cycles):
    """The most reviewers any of the cycles has: the CSV's reviewer columns, known before its first line."""
    ids = cycles.values("pk") if hasattr(cycles, "values") else [cycle.pk for cycle in cycles]
    largest = (TeamMember.objects.filter(visit__cycle__in=ids).values("visit__cycle_id").annotate(n=Count("pk"))
               .order_by("-n").values_list("n", flat=True).first())
    return largest or 0


def edition_criteria(edition):
    return list(Criterion.objects.filter(edition=edition).select_related("value").order_by("value__order", "order"))


def edition_cycles(edition):
    """The edition's cycles in the export's order, as a queryset: read as they are written out."""
    return (Cycle.objects.filter(edition=edition).select_related("service", "edition__framework")
            .order_by("service__name", "opened_at", "pk"))
