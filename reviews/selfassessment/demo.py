"""Demo review cycles, one at each stage of the self-assessment, each opened weeks ago:

- Elm House: opened three weeks ago, not started;
- Kestrel Wing: opened seven weeks ago, half done by staff, with evidence;
- Larchfield Community: submitted last week, and so locked for its visit.

Also what every demo self-assessment is made of: the staff's words at each level, and evidence
(minutes, logs, links) added through the evidence service and linked to the answers it supports.

Each cycle is built only if its service has none yet, so running the seed twice changes nothing.
What members answered is in the members' questionnaire (reviews/members/demo.py), not here.
"""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assurance.demo import as_if_on
from reviews.cycles.models import Cycle, CycleState
from reviews.cycles.services import open_cycle
from reviews.selfassessment.models import Perspective, SelfRating
from reviews.selfassessment.queries import criteria_for
from reviews.selfassessment.services import (
    Answer,
    add_file_evidence,
    add_link_evidence,
    save_answers,
    submit_self_assessment,
)

MET, PARTLY, NOT_MET = 2, 1, 0

# Each sector's words for the people who live there, the place and its meeting.
VOCABULARY = {
    "Prison wing (PIPE)": {"people": "the men", "People": "The men", "place": "the wing",
                           "meeting": "the wing community meeting"},
    "Approved Premises": {"people": "residents", "People": "Residents", "place": "the house",
                          "meeting": "the house meeting"},
    "Therapeutic community": {"people": "members", "People": "Members", "place": "the community",
                              "meeting": "the community meeting"},
    "Psychiatric ward": {"people": "patients", "People": "Patients", "place": "the ward",
                         "meeting": "the ward community meeting"},
    "Homelessness service": {"people": "residents", "People": "Residents", "place": "the hostel",
                             "meeting": "the residents' meeting"},
    "Children's home": {"people": "the young people", "People": "The young people", "place": "the home",
                        "meeting": "the house meeting"},
}
DEFAULT_VOCABULARY = {"people": "members", "People": "Members", "place": "the service",
                      "meeting": "the community meeting"}

# What staff write beside their own rating, by level: never "we do this well" beside Not met.
STAFF_NOTES = {
    MET: [
        "Minutes of {meeting} from the last three months show {people} raising this and staff acting on it.",
        "We do this every day; {people} wrote our guide to it with us last spring, and we review it at {meeting}.",
        "Our 'you said, we did' board shows four changes this quarter that came from {people}.",
        "Key-work records show this in nearly every session, and {people} say so in their own words.",
    ],
    PARTLY: [
        "Mostly in place, but night staff are less consistent; we plan to include them in the next training day.",
        "Key-work records show this in most sessions; agency cover is the gap.",
        "It happens reliably on weekdays; weekends are thinner, and {people} have told us so.",
    ],
    NOT_MET: [
        "Honestly, not yet: we have a policy, but practice slipped when we lost two senior staff.",
        "We have not started this properly; it is in our plan for the coming year.",
    ],
}
NOT_APPLICABLE = {"INV.5": "The service opened eight months ago, so nobody has moved on yet."}

# Evidence a service gathers: (title, kind, the values it shows, description). "{months}" is the
# three months before it was added; files hold a short extract, links point at the service's folder.
EVIDENCE = [
    ("Minutes of {meeting}, {months}", "file", {"INV", "BEL", "BOU", "EMP"},
     "Weekly minutes, chaired by {people} in turn, with who agreed to do what."),
    ("Reflective practice attendance log", "file", {"DEV", "SAF", "LEA"},
     "Who attended each fortnightly session, night staff included, and the themes discussed."),
    ("Incident debrief notes (anonymised), {months}", "file", {"SAF", "BOU", "COM"},
     "Notes of debriefs with staff and {people} after incidents, with what changed."),
    ("'You said, we did' board (photos)", "link", {"EMP", "INV", "COM"},
     "Photos of the board, month by month."),
    ("Welcome booklet written by {people}", "link", {"BEL", "BOU", "COM"},
     "The booklet every new arrival is given, revised by {people} last spring."),
    ("Weekly timetable and activity record, {months}", "link", {"STR", "DEV"},
     "The timetable as planned, and which sessions ran."),
    ("Key-work session audit", "link", {"STR", "INV", "COM"},
     "A sample of key-work records, checked for how often sessions happen and who set the agenda."),
    ("Visitors' book and links with outside groups", "link", {"OPE", "LEA"},
     "Visits to and from other services, families' visits and the groups {people} join outside."),
]
FILE_TEXT = (
    "{title}\n\nAn extract kept as evidence for the self-assessment.\n"
    "1. Welcome to two new arrivals; buddies agreed.\n"
    "2. Kitchen rota: a change proposed by {people}; agreed.\n"
    "3. 'You said, we did': the garden is open in the evenings from next week.\n"
)


def words_for(sector_name):
    """The sector's words for its people, place and meeting (with capitals for a sentence's start)."""
    words = dict(VOCABULARY.get(sector_name, DEFAULT_VOCABULARY))
    words["Meeting"] = words["meeting"][0].upper() + words["meeting"][1:]
    words["Place"] = words["place"][0].upper() + words["place"][1:]
    return words


def seed_demo_cycles(services, edition, people):
    admin, lead, other_lead = people["admin"], people["lead"], people["lead2"]
    today = timezone.localdate()
    elm = _ensure_cycle(services["Elm House"], edition, admin, today - datetime.timedelta(weeks=3))
    kestrel = _ensure_cycle(services["Kestrel Wing"], edition, admin, today - datetime.timedelta(weeks=7))
    larchfield = _ensure_cycle(services["Larchfield Community"], edition, admin, today - datetime.timedelta(weeks=13))
    if not kestrel.self_ratings.exists():
        StaffSelfAssessment(kestrel, lead, random.Random(1)).answer(timezone.localdate(kestrel.opened_at), share=0.5)
    if not larchfield.self_ratings.exists():
        opened = timezone.localdate(larchfield.opened_at)
        StaffSelfAssessment(larchfield, other_lead, random.Random(3)).answer(opened)
        with as_if_on(today - datetime.timedelta(weeks=1)):
            submit_self_assessment(larchfield, other_lead)
    return [elm, kestrel, larchfield]


def _ensure_cycle(service, edition, admin, opened_on):
    cycle = Cycle.objects.filter(service=service).exclude(state=CycleState.CLOSED).first()
    if cycle is not None:
        return cycle
    with as_if_on(opened_on):
        return open_cycle(
            service=service,
            edition=edition,
            opened_by=admin,
            self_assessment_due=opened_on + datetime.timedelta(weeks=12),
            visit_due=opened_on + datetime.timedelta(weeks=18),
        )


class StaffSelfAssessment:
    """The staff's side of a demo self-assessment: evidence gathered first, then answers that cite it.
    `truth`, when given, is {criterion id: index of its level}: the staff's answers follow it."""

    def __init__(self, cycle, person, rng, truth=None):
        self.cycle, self.person, self.rng, self.truth = cycle, person, rng, truth
        self.words = words_for(cycle.service.sector.name if cycle.service.sector_id else "")
        self.levels = cycle.edition.rating_levels

    def answer(self, opened_on, share=1.0, at_once=False):
        """Evidence two weeks after opening, answers five weeks after: the share of criteria given.
        `at_once` stores the answers in one go, as a demo of many reviews needs, instead of through
        the service that checks each against what is stored."""
        with as_if_on(opened_on + datetime.timedelta(weeks=2)):
            evidence = self.gather_evidence()
        criteria = list(criteria_for(self.cycle.edition, Perspective.STAFF))
        answers = [self._answer(criterion, evidence) for criterion in criteria[: round(len(criteria) * share)]]
        with as_if_on(opened_on + datetime.timedelta(weeks=5)):
            if at_once:
                self._store(answers)
            else:
                save_answers(self.cycle, Perspective.STAFF, answers, self.person)

    def _store(self, answers):
        ratings = SelfRating.objects.bulk_create(
            SelfRating(cycle=self.cycle, criterion_id=answer.criterion_id, perspective=Perspective.STAFF,
                       level_id=answer.level_id, not_applicable=answer.not_applicable,
                       not_applicable_reason=answer.not_applicable_reason, narrative=answer.narrative, version=1,
                       updated_by=self.person)
            for answer in answers
        )
        through = SelfRating.evidence.through
        through.objects.bulk_create(
            through(selfrating_id=rating.pk, evidence_id=evidence_id)
            for rating, answer in zip(ratings, answers, strict=True) for evidence_id in answer.evidence_ids
        )

    def gather_evidence(self):
        """[(evidence item, the value codes it shows)], added through the evidence service."""
        added = timezone.localdate()
        gathered = []
        for title, kind, values, description in EVIDENCE:
            words = {**self.words, "months": _months_before(added)}
            title, description = title.format(**words), description.format(**words)
            common = {"cycle": self.cycle, "added_by": self.person, "added_as": Perspective.STAFF, "title": title,
                      "description": description, "effective_date": added - datetime.timedelta(days=7)}
            if kind == "file":
                content = FILE_TEXT.format(title=title, **words).encode()
                upload = SimpleUploadedFile(f"{title[:40].lower().replace(' ', '-')}.txt", content, "text/plain")
                item = add_file_evidence(upload=upload, detected_type="text/plain", **common)
            else:
                slug = title.split(",")[0].lower().replace(" ", "-").replace("'", "")
                item = add_link_evidence(url=f"https://files.example.org/{self.cycle.service.slug}/{slug}", **common)
            gathered.append((item, values))
        return gathered

    def _answer(self, criterion, evidence):
        if self.truth is None and criterion.code in NOT_APPLICABLE and self.rng.random() < 0.5:
            return Answer(criterion.pk, not_applicable=True, not_applicable_reason=NOT_APPLICABLE[criterion.code])
        level = self.levels[self.truth[criterion.pk]] if self.truth else _likely_level(self.rng, self.levels)
        supporting = [item.pk for item, values in evidence if criterion.value.code in values]
        cited = self.rng.sample(supporting, k=min(len(supporting), self.rng.randint(1, 2))) if supporting else []
        note = self.rng.choice(STAFF_NOTES[_band(level.value, self.levels)]).format(**self.words)
        return Answer(criterion.pk, level_id=level.pk, narrative=note, evidence_ids=frozenset(cited))


def _band(value, levels):
    """MET, PARTLY or NOT_MET for a level's value, whatever the edition's number of levels."""
    top = levels[-1].value
    return MET if value == top else (NOT_MET if value == levels[0].value else PARTLY)


def _months_before(day):
    """"March–May" for the three whole months before `day`."""
    last = day.replace(day=1) - datetime.timedelta(days=1)
    first = (last.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
    return f"{first:%B}–{last:%B}"


def _likely_level(rng, levels):
    """Mostly the top level, some in the middle, a few at the bottom: like real services."""
    weights = [1] * (len(levels) - 2) + [3, 6] if len(levels) >= 2 else None
    return rng.choices(levels, weights=weights)[0]
