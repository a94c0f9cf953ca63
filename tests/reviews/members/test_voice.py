"""Reading the members' voice: counts per question only from the edition's minimum, members'
meetings shown as such, the members' level and its rule in words; the free text for the review
team only; each part only for those the disclosure policy shows it to; a bounded number of queries."""

import pytest
from django.urls import reverse

from reviews.members.models import Channel
from reviews.members.queries import member_questions
from reviews.models import CycleState
from tests.factories import CycleFactory, MemberResponseFactory
from tests.support.pages import section, table, text
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.django_db

WRITTEN = "The night staff never knock before they come in."
NOT_SHOWN = "Fewer than 5 answers: not shown, so that nobody can be singled out."


def page(cycle):
    return reverse("reviews:members", args=[cycle.pk])


def answer(cycle, criterion, answers, **fields):
    for given in answers:
        MemberResponseFactory(cycle=cycle, answers={criterion: given}, **fields)


@pytest.fixture
def review(personas):
    return PeerReview(personas).to(CycleState.VISIT)


@pytest.fixture
def questions(review):
    return member_questions(review.cycle.edition)


def test_four_answers_show_nothing_of_a_question_five_show_its_shares(personas, review, questions, client_for):
    four, five = questions[0], questions[1]  # V1.2 and V1.3
    answer(review.cycle, four, ["yes", "yes", "no", "sometimes"])
    answer(review.cycle, five, ["yes", "yes", "yes", "sometimes", "no", "dont_know"])

    response = client_for(personas.lead_reviewer).get(page(review.cycle))

    rows = table(response, "V1 Value 1")
    assert rows[0] == f"V1.2 Statement for V1.2. {NOT_SHOWN}"
    assert rows[1] == "V1.3 Statement for V1.3. 5 answers Yes 60.0% (3) Sometimes 20.0% (1) No 20.0% (1) Don't know 1 Members' level: Partly met"
    html = response.content.decode()
    row_html = html[html.find(f'id="counts-{four.pk}"'):html.find(f'id="counts-{five.pk}"')]
    assert "%" not in row_html and "<svg" not in row_html  # no share, no bar
    assert "<svg" in html[html.find(f'id="counts-{five.pk}"'):]


def test_the_rule_is_stated_once_in_words(personas, review, client_for):
    response = client_for(personas.lead_reviewer).get(page(review.cycle))
    words = section(response, "counts-heading")
    assert words.count("The members' level:") == 1
    assert ("Met when at least 75% of those answers are Yes; Partly met when Yes and Sometimes together are at "
            "least 50%; otherwise Not met.") in words
    assert "once at least 5 members have answered it" in words


def test_a_members_meeting_is_shown_as_such(personas, review, questions, client_for):
    answer(review.cycle, questions[0], ["yes"], channel=Channel.GROUP, group_size=8)
    response = client_for(personas.lead_reviewer).get(page(review.cycle))
    assert table(response, "V1 Value 1")[0] == f"V1.2 Statement for V1.2. {NOT_SHOWN} Members' meeting of 8: Yes Members' level: Met"
    assert "Members' meetings, answering as a group 1" in text(response)


def test_staff_see_how_many_answered_but_no_counts_until_the_ratings_are_agreed(personas, review, questions,
                                                                               client_for):
    answer(review.cycle, questions[1], ["yes"] * 7)
    client = client_for(personas.staff)
    before = client.get(page(review.cycle))
    assert before.status_code == 200
    assert "Members who answered 7" in text(before)
    assert "How members answered" not in text(before) and "100.0%" not in text(before)

    review.everyone_rates().agree_everything().finish()
    after = client.get(page(review.cycle))
    assert "How members answered" in text(after)
    assert "V1.3 Statement for V1.3. 7 answers Yes 100.0% (7)" in table(after, "V1 Value 1")[1]


def test_members_read_the_counts_in_their_own_words_without_codes(personas, review, questions, client_for):
    answer(review.cycle, questions[1], ["no"] * 5)
    review.everyone_rates().agree_everything().finish()
    response = client_for(personas.member).get(page(review.cycle))
    assert table(response, "Value 1")[1].startswith("We ask you about Value 1, question 3. Is this true for you? 5 answers")
    assert "V1.3" not in text(response)


@pytest.mark.parametrize("stage", [CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.CLOSED])
def test_only_the_review_team_reads_what_members_wrote(personas, review, client_for, stage):
    MemberResponseFactory(cycle=review.cycle, anything_else=WRITTEN)
    review.to(stage)
    for name in ("lead_reviewer", "reviewer", "lived_experience_reviewer"):
        response = client_for(getattr(personas, name)).get(page(review.cycle))
        assert WRITTEN in text(response), name
    for name in ("lead", "staff", "member", "admin", "commissioner"):
        response = client_for(getattr(personas, name)).get(page(review.cycle))
        assert response.status_code in (200, 404)
        assert WRITTEN not in response.content.decode(), name


def test_nobody_is_named_and_no_date_is_given_with_what_members_wrote(personas, review, client_for):
    MemberResponseFactory(cycle=review.cycle, anything_else=WRITTEN)
    words = section(client_for(personas.lead_reviewer).get(page(review.cycle)), "free-text-heading")
    assert WRITTEN in words
    assert str(review.cycle.opened_at.year) not in words


def test_a_commissioner_sees_nothing_before_the_report_is_final(personas, review, questions, client_for):
    answer(review.cycle, questions[1], ["yes"] * 5)
    client = client_for(personas.commissioner)
    assert client.get(page(review.cycle)).status_code == 404
    review.to(CycleState.FINAL)
    response = client.get(page(review.cycle))
    assert response.status_code == 200
    assert "Members who answered 5" in text(response) and "100.0%" in text(response)


def test_another_services_cycle_answers_404(personas, client_for):
    elsewhere = CycleFactory(service=personas.other)
    MemberResponseFactory(cycle=elsewhere, anything_else=WRITTEN)
    for name in ("lead", "staff", "member", "lead_reviewer", "commissioner", "outsider"):
        assert client_for(getattr(personas, name)).get(page(elsewhere)).status_code == 404, name


def test_the_page_runs_a_bounded_number_of_queries(personas, review, questions, client_for,
                                                   django_assert_max_num_queries):
    client = client_for(personas.lead_reviewer)

    def fill(start, end):
        for index in range(start, end):
            MemberResponseFactory(cycle=review.cycle, anything_else=f"Something {index}.", answers={
                question: ("yes", "no", "sometimes", "dont_know")[index % 4] for question in questions})
        answer(review.cycle, questions[0], ["no"], channel=Channel.GROUP, group_size=6)

    fill(0, 3)
    client.get(page(review.cycle))
    with django_assert_max_num_queries(20) as few:
        client.get(page(review.cycle))
    fill(3, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page(review.cycle))
    assert "Something 39." in text(response) and "Members who answered 40" in text(response)
