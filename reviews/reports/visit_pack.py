"""The visit pack on paper, for wards and wings where reviewers cannot take a phone or laptop in:
the cover, the visit's timetable, then each criterion value by value with the service's answers
this reader may see and room to circle a rating and write notes. What it shows is what the
disclosure policy lets this reader see (through the agreement grid), nothing more."""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from reviews.disclosure import Fact, disclosure
from reviews.peer.models import TimetableItem
from reviews.peer.queries import agreement_grid, self_answers, team_of
from reviews.reports.pdf import render_pdf
from reviews.selfassessment.models import Perspective


@dataclass
class PackCriterion:
    criterion: object
    staff: object  # the staff's SelfRating (its level) when this reader sees staff ratings, else None
    words: str = ""  # what the staff wrote, when shown
    not_applicable_reason: str = ""
    evidence: list = field(default_factory=list)  # titles of the staff's evidence, when shown
    member: object = None  # MembersVoice, when this reader sees the members' counts


@dataclass
class PackValue:
    value: object
    criteria: list


def visit_pack_data(cycle, reader):
    """Everything the pack prints for this reader. A fixed number of queries (about fifteen),
    whatever the size of the edition."""
    disclosed = disclosure(reader, cycle)
    team = team_of(cycle)
    grid = agreement_grid(cycle, team, disclosed)
    shows_words, shows_evidence = Fact.STAFF_WORDS in disclosed, Fact.STAFF_EVIDENCE in disclosed
    answers = {}
    if shows_words or shows_evidence:
        answers = self_answers(cycle, [row.criterion for row in grid], [Perspective.STAFF])
    values = []
    for row in grid:
        if not values or values[-1].value.pk != row.criterion.value_id:
            values.append(PackValue(row.criterion.value, []))
        answer = answers.get((row.criterion.pk, Perspective.STAFF))
        values[-1].criteria.append(PackCriterion(
            criterion=row.criterion,
            staff=row.staff,
            words=answer.narrative if answer and shows_words else "",
            not_applicable_reason=answer.not_applicable_reason if answer and shows_words else "",
            evidence=[item.title for item in answer.evidence.all()] if answer and shows_evidence else [],
            member=row.member,
        ))
    visit = getattr(cycle, "visit", None)
    return {
        "cycle": cycle,
        "service": cycle.service,
        "edition": cycle.edition,
        "reader": reader,
        "visit": visit,
        "notes": visit.notes if visit and Fact.VISIT_NOTES in disclosed else "",
        "team": team if Fact.TEAM in disclosed else [],
        "timetable": list(TimetableItem.objects.filter(visit__cycle=cycle)) if Fact.VISIT_PLAN in disclosed else [],
        "values": values,
        "members_shown": Fact.MEMBER_COUNTS in disclosed,
        "staff_shown": Fact.STAFF_RATINGS in disclosed,
        "levels": list(reversed(cycle.edition.rating_levels)),
        "printed": timezone.localdate(),
    }


def build_visit_pack(cycle, reader):
    """The pack as a PDF for this reader: RenderedPdf (content, pages)."""
    html = render_to_string("reports/pdf/visit_pack.html", visit_pack_data(cycle, reader))
    return render_pdf(html)
