"""Members without a screen: the printable questionnaire, staff typing in returned paper copies,
and a members' meeting's shared answers. None of these pages shows a response."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import Channel, CycleState, MemberResponse
from tests.factories import CriterionFactory, CycleFactory, MemberResponseFactory
from tests.reviews.members.test_answering import questionnaire_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(personas):
    return CycleFactory(service=personas.home, edition=questionnaire_edition())


def field_of(cycle, text):
    return f"q{cycle.edition.criteria.get(easy_read=text).pk}"


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace("&#x27;", "'")


def test_staff_type_in_a_paper_copy_and_the_page_is_ready_for_the_next(client_for, personas, cycle):
    client = client_for(personas.staff)
    url = reverse("reviews:questionnaire-paper", args=[cycle.pk])
    received = timezone.localdate() - datetime.timedelta(days=2)
    saved = client.post(url, {
        "received_on": received.isoformat(), field_of(cycle, "Do you feel safe here?"): "no",
        field_of(cycle, "Do staff listen to you?"): "yes", "anything_else": "Nights are loud.",
    })
    assert saved.status_code == 302
    next_copy = client.get(saved["Location"])
    assert "Saved. Enter the next one." in text_of(next_copy)
    assert f'value="{received.isoformat()}"' in next_copy.content.decode(), "the date is kept for the next copy"
    assert "Nights are loud." not in text_of(next_copy)

    response = MemberResponse.objects.get()
    assert (response.channel, response.received_on, response.anything_else) == (Channel.PAPER, received, "Nights are loud.")
    assert sorted(response.answers.values_list("answer", flat=True)) == ["no", "yes"]


def test_a_date_in_the_future_is_refused_next_to_the_date_keeping_the_answers(client_for, personas, cycle):
    client = client_for(personas.staff)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    safe = field_of(cycle, "Do you feel safe here?")
    response = client.post(reverse("reviews:questionnaire-paper", args=[cycle.pk]), {
        "received_on": future, safe: "sometimes", "anything_else": "Keep this text",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_received_on_error"' in html and "not a date in the future" in text_of(response)
    assert re.search(rf'<input[^>]*name="{safe}"[^>]*value="sometimes"[^>]*checked', html)
    assert "Keep this text" in html and f'value="{future}"' in html
    assert not MemberResponse.objects.exists()


def test_a_blank_paper_copy_is_refused(client_for, personas, cycle):
    response = client_for(personas.staff).post(reverse("reviews:questionnaire-paper", args=[cycle.pk]), {
        "received_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 400 and "Answer at least one question" in text_of(response)


def test_a_meeting_records_its_shared_answers_and_how_many_were_there(client_for, personas, cycle):
    client = client_for(personas.lead)
    url = reverse("reviews:questionnaire-meeting", args=[cycle.pk])
    saved = client.post(url, {"group_size": "12", field_of(cycle, "Do you feel safe here?"): "sometimes"})
    assert saved["Location"] == url
    assert "Saved" in text_of(client.get(url))
    response = MemberResponse.objects.get()
    assert (response.channel, response.group_size) == (Channel.GROUP, 12)


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Say how many members were at the meeting"), ("1", "two members or more"), ("lots", "whole number"),
])
def test_a_meetings_size_is_checked_next_to_the_field_keeping_the_answers(client_for, personas, cycle, typed, message):
    safe = field_of(cycle, "Do you feel safe here?")
    response = client_for(personas.staff).post(
        reverse("reviews:questionnaire-meeting", args=[cycle.pk]), {"group_size": typed, safe: "no"}
    )
    assert response.status_code == 400
    assert 'id="id_group_size_error"' in response.content.decode() and message in text_of(response)
    assert re.search(rf'<input[^>]*name="{safe}"[^>]*value="no"[^>]*checked', response.content.decode())
    assert not MemberResponse.objects.exists()


def test_the_staff_pages_never_show_a_response(client_for, personas, cycle):
    MemberResponseFactory(cycle=cycle, channel=Channel.PAPER, anything_else="A secret worry about nights.")
    client = client_for(personas.lead)
    for name in ("reviews:questionnaire-paper", "reviews:questionnaire-meeting"):
        assert "A secret worry" not in client.get(reverse(name, args=[cycle.pk])).content.decode()


@pytest.mark.parametrize("name", ["member", "reviewer", "lead_reviewer", "commissioner", "outsider"])
@pytest.mark.parametrize("page", ["reviews:questionnaire-paper", "reviews:questionnaire-meeting", "reviews:questionnaire-printable"])
def test_only_the_services_staff_and_admins_enter_responses(client_for, personas, cycle, name, page):
    assert client_for(getattr(personas, name)).get(reverse(page, args=[cycle.pk])).status_code == 404


def test_after_the_visit_nothing_more_is_entered_and_the_page_says_why(client_for, personas, cycle):
    question = cycle.edition.criteria.exclude(rated_by="staff").first()
    cycle.state = CycleState.RATINGS_AGREED
    cycle.save()
    client = client_for(personas.staff)
    for name in ("reviews:questionnaire-paper", "reviews:questionnaire-meeting"):
        page = client.get(reverse(name, args=[cycle.pk]))
        assert "The questionnaire has closed" in page.content.decode()
        sent = client.post(reverse(name, args=[cycle.pk]), {f"q{question.pk}": "yes", "received_on": "2026-11-01", "group_size": "5"})
        assert "The questionnaire has closed" in sent.content.decode()
    assert not MemberResponse.objects.filter(cycle=cycle).exists()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")
def test_the_printable_questionnaire_is_in_easy_read_with_no_codes(client_for, personas, cycle, tmp_path):
    response = client_for(personas.staff).get(reverse("reviews:questionnaire-printable", args=[cycle.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "questionnaire.pdf"
    pdf.write_bytes(response.content)
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for words in ("Kestrel Wing", "Do staff listen to you?", "Do you feel safe here?", "Being heard", "Sometimes",
                  "Don't know", "Staff will not know who said what", "When you have finished"):
        assert words in text.replace("’", "'"), words
    assert not re.search(r"V\d\.\d|Value \d|Met\b|Staff only|Criterion statement", text)


def many_questions_cycle(service, count):
    edition = questionnaire_edition()
    value = edition.values.first()
    for number in range(count):
        CriterionFactory(value=value, code=f"X.{number}", order=100 + number, rated_by="members", easy_read=f"Question {number}?")
    return CycleFactory(service=service, edition=edition)


@pytest.mark.parametrize("name", ["reviews:questionnaire-paper", "reviews:questionnaire-meeting"])
def test_the_entry_pages_take_the_same_queries_for_few_and_many_questions(client_for, personas, name):
    client = client_for(personas.staff)
    counts = []
    for count in (0, 30):
        cycle = many_questions_cycle(personas.home, count)
        client.get(reverse(name, args=[cycle.pk]))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(name, args=[cycle.pk]))
        counts.append(len(captured))
        cycle.delete()  # one open cycle per service
    assert counts[0] == counts[1]


def test_the_member_pages_take_the_same_queries_for_few_and_many_questions(client_for, personas):
    client = client_for(personas.member)
    counts = []
    for count in (0, 30):
        cycle = many_questions_cycle(personas.home, count)
        client.get(reverse("reviews:questionnaire-page", args=[cycle.pk, 1]))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("reviews:questionnaire-page", args=[cycle.pk, 1]))
            client.get(reverse("reviews:questionnaire-check", args=[cycle.pk]))
        counts.append(len(captured))
        cycle.delete()  # one open cycle per service
    assert counts[0] == counts[1]
