"""seed_demo's members' voice: services with no, few and many responses, paper copies, a members'
meeting, a session anyone can try with a known code, and answers that tell the same story as the
cycle's other ratings. The demo is seeded once for the module (tests/assurance/conftest.py)."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assurance.demo import PERSONAS
from reviews.cycles.models import Cycle, CycleState
from reviews.members.demo import DEMO_SESSION_CODE, PLANS, Plan, _Answerer
from reviews.members.models import Channel, MemberAnswer, MemberParticipation, MemberResponse, MemberResponseAnswer
from reviews.members.queries import cycle_members_voices, free_text, response_summary
from reviews.members.services import find_open_session
from reviews.selfassessment.models import SelfRating
from tests.factories import CycleFactory, build_edition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def current(name):
    return Cycle.objects.select_related("edition", "service").exclude(state=CycleState.CLOSED).get(service__name=name)


def test_seed_demo_has_services_with_no_few_and_many_member_responses_against_their_size():

    summaries = {name: response_summary(current(name)) for name in ("Elm House", "Kestrel Wing", "Larchfield Community", "Cedar Unit")}
    assert summaries["Elm House"].individual == 0
    assert summaries["Kestrel Wing"].individual == 3
    assert summaries["Larchfield Community"].individual >= 20
    assert summaries["Cedar Unit"].individual >= 20
    # the stated number of members, so that a response rate shows
    assert summaries["Larchfield Community"].stated == PLANS[("Larchfield Community", "2026.1")].stated
    assert 50 < summaries["Larchfield Community"].rate <= 100
    assert all(cycle.members_stated for cycle in Cycle.objects.all())
    # too few answers show nothing
    for name in ("Kestrel Wing", "The Orchard"):
        voices = cycle_members_voices(current(name))
        assert voices and not any(voice.heard for voice in voices.values())
    assert not SelfRating.objects.filter(perspective="members").exists()


def test_seed_demo_has_paper_copies_a_members_meeting_and_one_online_answer():

    larchfield, harbour, kestrel = current("Larchfield Community"), current("Harbour Lights"), current("Kestrel Wing")
    paper = larchfield.member_responses.filter(channel=Channel.PAPER)
    assert paper.count() >= 5
    assert all(response.received_on < timezone.localdate() for response in paper)
    meeting = harbour.member_responses.get(channel=Channel.GROUP)
    assert meeting.group_size >= 2 and meeting.answers.exists()
    assert response_summary(harbour).meetings == 1
    assert any(voice.groups for voice in cycle_members_voices(harbour).values())
    # who answered online is recorded apart, once per online response
    for cycle in Cycle.objects.all():
        online = cycle.member_responses.filter(channel=Channel.ACCOUNT).count()
        assert MemberParticipation.objects.filter(cycle=cycle).count() == online
    assert MemberParticipation.objects.get(cycle=larchfield).user.username == "member2"
    assert not MemberParticipation.objects.filter(cycle=kestrel).exists()  # the demo member can still answer


def test_seed_demo_session_with_a_known_code_is_open_and_printed(seeded_demo):
    output = seeded_demo.output

    session = find_open_session(DEMO_SESSION_CODE.lower(), "192.0.2.1")
    assert session.cycle.service.name == "Kestrel Wing"
    assert session.cycle.state in CycleState.QUESTIONNAIRE_OPEN
    assert session.closes_at > timezone.now() + timezone.timedelta(days=300)
    assert session.responses.count() == 3
    assert f"/questionnaire/{DEMO_SESSION_CODE}/" in output


def test_seed_demo_member_answers_follow_the_service_and_their_words_name_nobody():
    before = seed()
    responses = MemberResponse.objects.count()

    strong, middling = current("Cedar Unit"), current("Harbour Lights")

    def yes_share(cycle):
        decided = MemberResponseAnswer.objects.filter(response__cycle=cycle).exclude(
            response__channel=Channel.GROUP
        ).exclude(answer=MemberAnswer.DONT_KNOW)
        return decided.filter(answer=MemberAnswer.YES).count() / decided.count()

    assert yes_share(strong) > 0.75
    assert yes_share(strong) > yes_share(middling) + 0.1
    levels = [voice.level for voice in cycle_members_voices(strong).values()]
    assert levels.count(strong.edition.top_level) > len(levels) / 2
    words = free_text(current("Larchfield Community")) + free_text(strong)
    assert len(words) >= 5
    names = {persona.first_name for persona in PERSONAS} | {persona.last_name for persona in PERSONAS}
    assert not any(name in text.split() for text in words for name in names)
    assert seed() == before
    assert MemberResponse.objects.count() == responses


def test_demo_member_answers_are_the_same_every_run():
    edition = build_edition(values=2, criteria_per_value=3)
    cycle = CycleFactory(edition=edition)
    truth = {criterion.pk: 1 for criterion in edition.criteria.all()}

    def three_members():
        answerer = _Answerer(cycle, truth, Plan(stated=10), random.Random("same"))
        return [answerer.response() for _ in range(3)]

    first, again = three_members(), three_members()
    assert first == again
    assert first[0] != first[1]
