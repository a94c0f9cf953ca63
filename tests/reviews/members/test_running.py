"""Running the questionnaire from the members' voice page: the service's lead opens a session for a
meeting (a code to read out, a link), closes it, and states the number of members; bad input is
explained next to its field and kept; staff cannot open sessions."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.members.models import QuestionnaireSession
from reviews.members.services import CODE_ALPHABET
from tests.factories import CycleFactory, MemberResponseFactory, QuestionnaireSessionFactory
from tests.support.pages import messages_on, text
from tests.support.reviews import home_cycle

pytestmark = pytest.mark.django_db


def page(cycle):
    return reverse("reviews:members", args=[cycle.pk])


def typed(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def session_form(name="Community meeting, Tuesday", opens=None, closes=None):
    opens = opens or timezone.now()
    closes = closes or opens + datetime.timedelta(hours=2)
    return {"session-name": name, "session-opens_at": typed(opens), "session-closes_at": typed(closes),
            "open_session": ""}


@pytest.fixture
def cycle(personas):
    return home_cycle(personas)


def test_the_lead_opens_a_session_and_sees_its_code_and_link(personas, cycle, client_for):
    client = client_for(personas.lead)
    form_page = client.get(page(cycle))
    assert form_page.status_code == 200
    assert "Open a new session" in text(form_page)
    # the form starts at now, for two hours
    opens = form_page.context["session_form"].initial["opens_at"]
    assert form_page.context["session_form"].initial["closes_at"] - opens == datetime.timedelta(hours=2)

    response = client.post(page(cycle), session_form(), follow=True)

    session = QuestionnaireSession.objects.get(cycle=cycle)
    assert len(session.code) == 8 and set(session.code) <= set(CODE_ALPHABET)
    assert session.name == "Community meeting, Tuesday" and session.opened_by == personas.lead
    words = text(response)
    assert f"Its code is {session.code}" in " ".join(messages_on(response))
    assert f"Code: {session.code}" in words
    assert f'href="http://testserver/questionnaire/{session.code}/"' in response.content.decode()
    assert re.search(rf'class="stat"[^>]*>{session.code}<', response.content.decode())  # shown large
    assert "Open 0 responses" in words


def test_the_lead_closes_a_session(personas, cycle, client_for):
    session = QuestionnaireSessionFactory(cycle=cycle)
    MemberResponseFactory.create_batch(3, cycle=cycle, channel="session", session=session)
    client = client_for(personas.lead)
    assert "Open 3 responses" in text(client.get(page(cycle)))

    response = client.post(page(cycle), {"close_session": session.pk}, follow=True)

    session.refresh_from_db()
    assert session.closed_at is not None
    assert "Closed 3 responses" in text(response)
    assert "no longer works" in " ".join(messages_on(response))


def test_expired_sessions_say_so_and_have_no_close_button(personas, cycle, client_for):
    QuestionnaireSessionFactory(cycle=cycle, opens_at=timezone.now() - datetime.timedelta(days=2),
                                closes_at=timezone.now() - datetime.timedelta(days=1))
    response = client_for(personas.lead).get(page(cycle))
    assert "Expired" in text(response)
    assert 'name="close_session"' not in response.content.decode()


def test_another_cycles_session_cannot_be_closed_from_here(personas, cycle, client_for):
    elsewhere = QuestionnaireSessionFactory(cycle=CycleFactory(service=personas.other))
    client_for(personas.lead).post(page(cycle), {"close_session": elsewhere.pk})
    elsewhere.refresh_from_db()
    assert elsewhere.closed_at is None


@pytest.mark.parametrize("make_form, field, message", [  # forms made when the test runs, not when it is collected
    (lambda: session_form(closes=timezone.now() - datetime.timedelta(hours=1)), "closes_at",
     "must close after it opens"),
    (lambda: session_form(name="  "), "name", "Say what the session is for"),
    (lambda: session_form(closes=timezone.now() + datetime.timedelta(days=40)), "closes_at", "31 days at most"),
    (lambda: session_form() | {"session-opens_at": "next tuesday"}, "opens_at",
     "Give the date and time the session opens"),
])
def test_bad_input_is_explained_next_to_its_field_and_kept(personas, cycle, client_for, make_form, field, message):
    form = make_form()
    response = client_for(personas.lead).post(page(cycle), form)

    assert response.status_code == 400
    assert not QuestionnaireSession.objects.exists()
    bound = response.context["session_form"]
    assert any(message in error for error in bound.errors[field])
    html = response.content.decode()
    assert "There is a problem" in text(response) and message in text(response)
    assert f'href="#id_session-{field}"' in html  # the summary leads to the field
    kept = form["session-name"] if field != "name" else None
    if kept:
        assert f'value="{kept}"' in html


def test_staff_cannot_open_or_close_sessions(personas, cycle, client_for):
    session = QuestionnaireSessionFactory(cycle=cycle)
    client = client_for(personas.staff)
    response = client.get(page(cycle))
    assert response.status_code == 200
    assert "Open a new session" not in text(response) and session.code not in text(response)
    assert client.post(page(cycle), session_form()).status_code == 404
    assert client.post(page(cycle), {"close_session": session.pk}).status_code == 404
    session.refresh_from_db()
    assert QuestionnaireSession.objects.count() == 1 and session.closed_at is None


def test_sessions_cannot_be_opened_once_the_questionnaire_has_closed(personas, client_for):
    cycle = home_cycle(personas, state="ratings_agreed")
    response = client_for(personas.lead).post(page(cycle), session_form())
    assert response.status_code == 404
    assert not QuestionnaireSession.objects.exists()


def test_the_lead_states_the_number_of_members_and_the_rate_is_shown(personas, cycle, client_for):
    MemberResponseFactory.create_batch(10, cycle=cycle)
    client = client_for(personas.lead)
    assert "no response rate yet" in text(client.get(page(cycle)))

    response = client.post(page(cycle), {"stated-members_stated": "40", "set_stated": ""}, follow=True)

    cycle.refresh_from_db()
    assert cycle.members_stated == 40
    assert "25.0% of the 40 members the service has" in text(response)
    assert 'value="40"' in response.content.decode()


@pytest.mark.parametrize("typed_number", ["0", "lots", "200000"])
def test_a_bad_number_of_members_is_explained_and_kept(personas, cycle, client_for, typed_number):
    response = client_for(personas.lead).post(page(cycle), {"stated-members_stated": typed_number, "set_stated": ""})
    assert response.status_code == 400
    assert "whole number from 1 to 100000" in text(response)
    assert f'value="{typed_number}"' in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.members_stated is None


def test_the_cycle_page_shows_the_responses_and_leads_to_the_members_voice(personas, cycle, client_for):
    MemberResponseFactory.create_batch(6, cycle=cycle)
    cycle.members_stated = 12
    cycle.save()
    for name in ("lead", "staff", "member"):
        response = client_for(getattr(personas, name)).get(cycle.get_absolute_url())
        assert "6 members have answered the questionnaire: 50.0% of 12 members" in text(response)
        assert page(cycle) in response.content.decode()


def test_the_cycle_page_has_no_members_section_for_a_commissioner_before_the_report_is_final(
        personas, cycle, client_for):
    response = client_for(personas.commissioner).get(cycle.get_absolute_url())
    if response.status_code == 200:
        assert "The members' voice" not in text(response)


def test_staff_find_the_paper_copy_and_the_meeting_pages(personas, cycle, client_for):
    html = client_for(personas.staff).get(page(cycle)).content.decode()
    for name in ("questionnaire-printable", "questionnaire-paper", "questionnaire-meeting"):
        assert f'href="{reverse(f"reviews:{name}", args=[cycle.pk])}"' in html
