"""Reading the members' voice: counts per question, meetings' shared answers, the members' level,
the response rate and the free text, in a fixed number of queries."""

import pytest

from reviews.members.models import Channel
from reviews.members.queries import cycle_members_voices, free_text, member_questions, members_voices, response_summary
from tests.factories import CycleFactory, MemberResponseFactory, build_edition


@pytest.fixture
def cycle(personas):
    return CycleFactory(service=personas.home, edition=build_edition(values=2, criteria_per_value=3))


def asked(cycle):
    return member_questions(cycle.edition)


def answer(cycle, criterion, answers, channel=Channel.ACCOUNT, **fields):
    for given in answers:
        MemberResponseFactory(cycle=cycle, channel=channel, answers={criterion: given}, **fields)


def test_members_are_asked_only_the_questions_they_rate(cycle):
    assert [c.code for c in asked(cycle)] == ["V1.2", "V1.3", "V2.2", "V2.3"]


def test_answers_are_counted_per_question_and_give_the_members_level(cycle):
    question = asked(cycle)[0]
    answer(cycle, question, ["yes"] * 6 + ["no", "no", "dont_know"])
    voice = cycle_members_voices(cycle)[question.pk]
    assert (voice.tally.yes, voice.tally.no, voice.tally.dont_know, voice.tally.decided) == (6, 2, 1, 8)
    assert voice.tally.shown and voice.level == 2


def test_below_the_minimum_there_is_no_level(cycle):
    question = asked(cycle)[0]
    answer(cycle, question, ["no"] * 4)
    voice = cycle_members_voices(cycle)[question.pk]
    assert not voice.tally.shown and voice.tally.share("no") is None and voice.level is None


def test_the_editions_minimum_decides(cycle):
    cycle.edition.members_minimum = 3
    cycle.edition.save()
    question = asked(cycle)[0]
    answer(cycle, question, ["no"] * 3)
    assert cycle_members_voices(cycle)[question.pk].level == 0


def test_a_meeting_is_shown_as_a_meeting_and_speaks_when_too_few_answered_alone(cycle):
    question = asked(cycle)[1]
    answer(cycle, question, ["sometimes"], channel=Channel.GROUP, group_size=9)
    answer(cycle, question, ["no"])
    voice = cycle_members_voices(cycle)[question.pk]
    assert voice.groups == [(9, "sometimes")]
    assert voice.tally.decided == 1  # the meeting is never counted as single members
    assert voice.level == 1


def test_counts_of_many_cycles_in_a_fixed_number_of_queries(cycle, personas, django_assert_max_num_queries):
    others = [CycleFactory(edition=cycle.edition) for _ in range(3)]
    for each in [cycle, *others]:
        answer(each, asked(cycle)[0], ["yes"] * 7)
    cycles = list(type(cycle).objects.filter(pk__in=[c.pk for c in [cycle, *others]]).select_related("edition"))
    with django_assert_max_num_queries(3):
        voices = members_voices(cycles)
    assert len(voices) == 4


def test_the_response_rate_counts_single_members_against_the_stated_number(cycle):
    question = asked(cycle)[0]
    answer(cycle, question, ["yes"] * 3)
    answer(cycle, question, ["yes"], channel=Channel.PAPER)
    answer(cycle, question, ["yes"], channel=Channel.GROUP, group_size=12)
    cycle.members_stated = 16
    summary = response_summary(cycle)
    assert (summary.individual, summary.meetings, summary.rate) == (4, 1, 25.0)
    assert summary.by_channel == {Channel.ACCOUNT: 3, Channel.PAPER: 1, Channel.GROUP: 1}


def test_free_text_comes_without_dates_or_order_of_arrival(cycle):
    MemberResponseFactory(cycle=cycle, anything_else="The garden group helps.")
    MemberResponseFactory(cycle=cycle, anything_else="")
    MemberResponseFactory(cycle=cycle, anything_else="Night staff are kind.")
    assert sorted(free_text(cycle)) == ["Night staff are kind.", "The garden group helps."]
