"""Answering at a questionnaire session, with its code and no account: open only in its window,
one response per device, and a code that cannot be guessed within the throttle."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assurance.models import ThrottleHit
from reviews.models import Channel, CycleState, MemberResponse
from tests.factories import CycleFactory, QuestionnaireSessionFactory
from tests.reviews.members.test_answering import questionnaire_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(personas):
    cycle = CycleFactory(service=personas.home, edition=questionnaire_edition())
    return QuestionnaireSessionFactory(cycle=cycle, code="KX7P2MQR")


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace("&#x27;", "'")


def safe_question(session):
    return session.cycle.edition.criteria.get(easy_read="Do you feel safe here?")


def answer_and_send(client, session, answer="yes", anything_else=""):
    code = session.code
    client.post(reverse("questionnaire:page", args=[code, 2]), {"next": "", f"q{safe_question(session).pk}": answer})
    client.post(reverse("questionnaire:page", args=[code, 3]), {"next": "", "anything_else": anything_else})
    return client.post(reverse("questionnaire:check", args=[code]), {"send": ""})


def test_anyone_with_the_code_answers_without_signing_in(client, session):
    start = client.get(reverse("questionnaire:start"))
    assert start.status_code == 200 and 'name="code"' in start.content.decode()

    found = client.post(reverse("questionnaire:start"), {"code": "KX7P2MQR"})
    assert found["Location"] == reverse("questionnaire:answer", args=["KX7P2MQR"])
    intro = client.get(found["Location"])
    assert "Staff will not know who said what" in text_of(intro)

    sent = answer_and_send(client, session, "sometimes", "The food is better now.")
    assert sent["Location"] == reverse("questionnaire:thanks")
    assert "Thank you" in text_of(client.get(sent["Location"]))
    response = MemberResponse.objects.get()
    assert (response.channel, response.session, response.anything_else) == (Channel.SESSION, session, "The food is better now.")
    assert list(response.answers.values_list("answer", flat=True)) == ["sometimes"]


@pytest.mark.parametrize("typed", ["kx7p2mqr", " KX7P 2MQR ", "kx7p-2mqr"])
def test_the_code_may_be_typed_in_small_letters_and_with_spaces(client, session, typed):
    found = client.post(reverse("questionnaire:start"), {"code": typed})
    assert found["Location"] == reverse("questionnaire:answer", args=["KX7P2MQR"])


def test_the_pages_need_the_csrf_token(session):


    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("questionnaire:start"), {"code": session.code}).status_code == 403


def test_one_response_per_device_session(client, session):
    answer_and_send(client, session)
    again = client.get(reverse("questionnaire:answer", args=[session.code]))
    assert "You have already answered. Thank you." in text_of(again)
    answer_and_send(client, session)
    assert MemberResponse.objects.count() == 1


def test_another_device_answers_too(client, session, django_user_model):


    answer_and_send(client, session)
    answer_and_send(Client(), session, "no")
    assert MemberResponse.objects.count() == 2


@pytest.mark.parametrize("how", ["closed early", "expired", "not yet open", "after the visit"])
def test_a_session_that_is_not_open_refuses_kindly(client, session, how):
    now = timezone.now()
    if how == "closed early":
        session.closed_at = now
    elif how == "expired":
        session.opens_at, session.closes_at = now - datetime.timedelta(hours=3), now - datetime.timedelta(minutes=1)
    elif how == "not yet open":
        session.opens_at, session.closes_at = now + datetime.timedelta(hours=1), now + datetime.timedelta(hours=3)
    else:
        session.cycle.state = CycleState.RATINGS_AGREED
        session.cycle.save()
    session.save()

    refused = client.post(reverse("questionnaire:start"), {"code": session.code})
    assert refused.status_code == 400
    assert "This questionnaire is not open now" in text_of(refused)
    assert client.get(reverse("questionnaire:answer", args=[session.code])).status_code == 400
    answer_and_send(client, session)
    assert not MemberResponse.objects.exists()


def test_a_session_closed_while_a_member_answers_keeps_nothing(client, session):
    client.post(reverse("questionnaire:page", args=[session.code, 2]), {"next": "", f"q{safe_question(session).pk}": "yes"})
    session.closed_at = timezone.now()
    session.save()
    response = client.post(reverse("questionnaire:check", args=[session.code]), {"send": ""})
    assert "not open now" in text_of(response)
    assert not MemberResponse.objects.exists()


def test_a_wrong_code_says_so_next_to_the_box_and_keeps_what_was_typed(client, session):
    response = client.post(reverse("questionnaire:start"), {"code": "ABCD1234"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code_error"' in html and "There is no questionnaire with that code" in text_of(response)
    assert 'value="ABCD1234"' in html


def test_an_empty_code_is_asked_for(client, session):
    response = client.post(reverse("questionnaire:start"), {"code": ""})
    assert response.status_code == 400 and "Type the code you were given" in text_of(response)


def test_wrong_codes_are_throttled_and_then_even_the_right_code_waits(client, session, settings):
    settings.QUESTIONNAIRE_CODE_GUESSES = 3
    for guess in ("AAAA1111", "BBBB2222", "CCCC3333"):
        assert client.post(reverse("questionnaire:start"), {"code": guess}).status_code == 400
    paused = client.post(reverse("questionnaire:start"), {"code": session.code})
    assert paused.status_code == 429
    assert "Wait a few minutes" in text_of(paused)
    assert client.get(reverse("questionnaire:answer", args=[session.code])).status_code == 429


def test_the_pause_ends(client, session, settings):
    settings.QUESTIONNAIRE_CODE_GUESSES = 2
    settings.QUESTIONNAIRE_CODE_PAUSE_MINUTES = 15
    for guess in ("AAAA1111", "BBBB2222"):
        client.post(reverse("questionnaire:start"), {"code": guess})
    assert client.post(reverse("questionnaire:start"), {"code": session.code}).status_code == 429
    ThrottleHit.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))  # the pause is over
    assert client.post(reverse("questionnaire:start"), {"code": session.code}).status_code == 302


def test_another_address_is_not_paused_by_someone_elses_guesses(client, session, settings):
    settings.QUESTIONNAIRE_CODE_GUESSES = 2
    for guess in ("AAAA1111", "BBBB2222"):
        client.post(reverse("questionnaire:start"), {"code": guess}, REMOTE_ADDR="10.0.0.9")
    assert client.post(reverse("questionnaire:start"), {"code": session.code}, REMOTE_ADDR="10.0.0.10").status_code == 302


def test_the_session_pages_show_no_codes_value_numbers_or_ratings(client, session):
    for url in (
        reverse("questionnaire:answer", args=[session.code]),
        reverse("questionnaire:page", args=[session.code, 1]),
        reverse("questionnaire:check", args=[session.code]),
    ):
        text = text_of(client.get(url))
        assert not re.search(r"V\d\.\d|Value \d+ of|Met\b|evidence", text), url
