"""Demo review cycles, one at each stage of the self-assessment:

- Elm House: opened, not started;
- Kestrel Wing: half done by staff, with evidence;
- Larchfield Community: submitted, and so locked for its visit.

Each cycle is built only if its service has none yet, so running the seed twice changes nothing.
What members answered is in the members' questionnaire (reviews/members/demo.py), not here.
"""

import datetime
import hashlib
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from reviews.cycles.models import Cycle, CycleState
from reviews.cycles.services import open_cycle
from reviews.selfassessment.models import Evidence, EvidenceKind, Perspective, SelfRating
from reviews.selfassessment.queries import criteria_for
from reviews.selfassessment.services import submit_self_assessment

STAFF_NOTES = [
    "Community meeting minutes from the last three months show members raising this and staff acting on it.",
    "We discuss this at every handover and in reflective practice; the notes are in the practice folder.",
    "Members and staff wrote our guide to this together last spring, and we review it at the community meeting.",
    "Mostly in place, but night staff are less consistent; we have a plan to include them in the next training day.",
    "Our 'you said, we did' board shows four changes this quarter that came from members.",
    "Key-work records show this happening in most sessions; agency cover is the gap.",
]


def seed_demo_cycles(services, edition, people):
    admin, lead, other_lead = people["admin"], people["lead"], people["lead2"]
    today = timezone.localdate()
    elm = _ensure_cycle(services["Elm House"], edition, admin, today)
    kestrel = _ensure_cycle(services["Kestrel Wing"], edition, admin, today)
    larchfield = _ensure_cycle(services["Larchfield Community"], edition, admin, today)
    if not kestrel.self_ratings.exists():
        evidence = _evidence(kestrel, lead)
        _answer(kestrel, Perspective.STAFF, lead, evidence, share=0.5, seed=1)
    if not larchfield.self_ratings.exists():
        evidence = _evidence(larchfield, other_lead)
        _answer(larchfield, Perspective.STAFF, other_lead, evidence, share=1.0, seed=3)
        submit_self_assessment(larchfield, other_lead)
    return [elm, kestrel, larchfield]


def _ensure_cycle(service, edition, admin, today):
    cycle = Cycle.objects.filter(service=service).exclude(state=CycleState.CLOSED).first()
    return cycle or open_cycle(
        service=service,
        edition=edition,
        opened_by=admin,
        self_assessment_due=today + datetime.timedelta(weeks=10),
        visit_due=today + datetime.timedelta(weeks=18),
    )


def _evidence(cycle, added_by):
    minutes = Evidence(
        cycle=cycle,
        kind=EvidenceKind.FILE,
        title="Community meeting minutes, last quarter",
        description="Minutes of the weekly community meeting, chaired by members in turn.",
        original_name="community-meeting-minutes.txt",
        content_type="text/plain",
        added_by=added_by,
    )
    text = (
        b"Community meeting, Tuesday\nChair: a member of the community\n"
        b"1. Welcome to two new members; buddies agreed.\n2. Kitchen rota: members proposed a change; agreed.\n"
        b"3. 'You said, we did': the garden is open in the evenings from next week.\n"
    )
    minutes.size = len(text)
    minutes.sha256 = hashlib.sha256(text).hexdigest()
    minutes.file.save("minutes.txt", ContentFile(text), save=False)
    minutes.save()
    board = Evidence.objects.create(
        cycle=cycle,
        kind=EvidenceKind.LINK,
        title="'You said, we did' board (photo album)",
        url="https://example.org/you-said-we-did",
        added_by=added_by,
    )
    return [minutes, board]


def _answer(cycle, perspective, person, evidence, share, seed):
    rng = random.Random(seed)
    criteria = list(criteria_for(cycle.edition, perspective))
    levels = cycle.edition.rating_levels
    notes = STAFF_NOTES
    answered = criteria[: round(len(criteria) * share)]
    for criterion in answered:
        not_applicable = perspective == Perspective.STAFF and rng.random() < 0.04
        rating = SelfRating.objects.create(
            cycle=cycle,
            criterion=criterion,
            perspective=perspective,
            level=None if not_applicable else _likely_level(rng, levels),
            not_applicable=not_applicable,
            not_applicable_reason="We have no outside space, so this does not apply." if not_applicable else "",
            narrative=rng.choice(notes),
            version=1,
            updated_by=person,
        )
        if evidence and rng.random() < 0.6:
            rating.evidence.set(rng.sample(evidence, k=rng.randint(1, len(evidence))))


def _likely_level(rng, levels):
    """Mostly the top level, some in the middle, a few at the bottom: like real services."""
    weights = [1] * (len(levels) - 2) + [3, 6] if len(levels) >= 2 else None
    return rng.choices(levels, weights=weights)[0]
