"""Evidence and the answers: one item supporting several criteria, and the way back to the
answers after adding evidence from a step."""

import re

import pytest
from django.urls import reverse

from reviews.models import Evidence, Perspective, SelfRating
from tests.factories import CycleFactory, ServiceFactory
from tests.support.evidence import (
    ELF_BYTES,
    add_link,
    evidence_url,
    file_item,
    text_bytes,
    top_level,
    upload,
    wizard_post,
)
from tests.support.pages import table_rows, text
from tests.support.reviews import criterion
from tests.support.wizard import step_url

# Every test keeps its files in a folder of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


# --- one item, several criteria ---------------------------------------------------------------


def test_evidence_linked_through_wizard_listed_on_each_criterion(client_for, personas, cycle):
    client = client_for(personas.staff)
    item = file_item(cycle, personas.staff)
    first, second, unlinked = (criterion(cycle, code) for code in ("V1.1", "V1.3", "V2.1"))
    met = top_level(cycle)

    response = wizard_post(client, cycle, "V1", {first: (met, [item]), second: (met, [item])})

    assert response.status_code == 302
    assert set(item.self_ratings.values_list("criterion__code", flat=True)) == {"V1.1", "V1.3"}
    evidence_rows = table_rows(client.get(evidence_url(cycle)))
    assert evidence_rows[0].startswith(item.title)
    assert "V1.1, V1.3" in evidence_rows[0]
    answers = client.get(reverse("reviews:answers", args=[cycle.pk, Perspective.STAFF])).content.decode()
    assert item.title in answer_row(answers, first.code)
    assert item.title in answer_row(answers, second.code)
    assert item.title not in answer_row(answers, unlinked.code)


def answer_row(page_html, code):
    match = re.search(rf'<tr id="answer-{re.escape(code)}">(.*?)</tr>', page_html, re.DOTALL)
    assert match, code
    return match.group(1)


def test_evidence_linked_by_staff_and_members_lists_both_codes(client_for, personas, cycle):
    item = file_item(cycle, personas.member, Perspective.MEMBERS)
    staff_answer = SelfRating.objects.create(
        cycle=cycle, criterion=criterion(cycle, "V1.1"), perspective=Perspective.STAFF, level=top_level(cycle)
    )
    members_answer = SelfRating.objects.create(
        cycle=cycle, criterion=criterion(cycle, "V2.2"), perspective=Perspective.MEMBERS, level=top_level(cycle)
    )
    staff_answer.evidence.add(item)
    members_answer.evidence.add(item)

    rows = table_rows(client_for(personas.staff).get(evidence_url(cycle)))

    assert len(rows) == 1
    assert "V1.1, V2.2" in rows[0]


def test_evidence_not_linked_yet_says_so(client_for, personas, cycle):
    file_item(cycle, personas.staff)

    rows = table_rows(client_for(personas.staff).get(evidence_url(cycle)))

    assert "Not linked yet" in rows[0]


# --- "Save and add evidence", and back ---------------------------------------------------------


def test_save_and_add_evidence_saves_then_returns_to_the_step(client_for, personas, cycle):
    client = client_for(personas.staff)
    answered = criterion(cycle, "V2.1")
    step = step_url(cycle, Perspective.STAFF, "V2")

    response = wizard_post(client, cycle, "V2", {answered: (top_level(cycle), [])}, add_evidence="")

    assert response.status_code == 302
    assert response.url == evidence_url(cycle, next_url=step)
    assert SelfRating.objects.get(criterion=answered).level == top_level(cycle)
    page = client.get(response.url)
    assert f'<a class="button button--secondary" href="{step}">Back to your answers</a>' in page.content.decode()

    added = add_link(client, cycle, "https://example.org/minutes", title="Minutes online", url=response.url)

    assert added.status_code == 302
    assert added.url == step
    back = client.get(step)
    item = Evidence.objects.get()
    assert "“Minutes online” is added" in text(back)
    assert f'name="V2-c{answered.pk}_evidence" value="{item.pk}"' in back.content.decode()
    assert 'checked' in re.search(
        rf'<input[^>]*name="V2-c{answered.pk}_level"[^>]*value="{top_level(cycle).pk}"[^>]*>', back.content.decode()
    ).group(0)


def test_save_and_add_evidence_file_upload_returns_to_the_step(client_for, personas, cycle):
    client = client_for(personas.staff)
    step = step_url(cycle, Perspective.STAFF, "V1")

    response = upload(client, cycle, "minutes.txt", text_bytes(), url=evidence_url(cycle, next_url=step))

    assert response.status_code == 302
    assert response.url == step


def test_refused_upload_keeps_the_way_back(client_for, personas, cycle):
    client = client_for(personas.staff)
    step = step_url(cycle, Perspective.STAFF, "V1")

    response = upload(client, cycle, "report.pdf", ELF_BYTES, url=evidence_url(cycle, next_url=step))

    assert response.status_code == 400
    assert f'href="{step}">Back to your answers' in response.content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/steal", "//evil.example/steal", "javascript:alert(1)", "http://testserver@evil.example/"]
)
def test_next_pointing_elsewhere_ignored(client_for, personas, cycle, next_url):
    client = client_for(personas.staff)

    page = client.get(evidence_url(cycle, next_url=next_url))
    response = add_link(client, cycle, "https://example.org/", url=evidence_url(cycle, next_url=next_url))

    assert "Back to your answers" not in text(page)
    assert "evil.example" not in page.content.decode()
    assert response.status_code == 302
    assert response.url == evidence_url(cycle)


def test_member_added_evidence_listed_for_members_without_the_staffs(client_for, personas, cycle):
    client = client_for(personas.member)
    add_link(client, cycle, "https://example.org/letter", title="Our letter")
    file_item(cycle, personas.staff, Perspective.STAFF, name="staff-only.txt")

    page = client.get(evidence_url(cycle)).content.decode()

    assert "Our letter" in page
    assert "staff-only" not in page


def test_evidence_of_another_service_cannot_be_linked(client_for, personas, cycle):
    other_cycle = CycleFactory(service=ServiceFactory(), edition=cycle.edition)
    theirs = file_item(other_cycle, personas.admin)
    answered = criterion(cycle, "V1.1")

    response = wizard_post(client_for(personas.staff), cycle, "V1", {answered: (top_level(cycle), [theirs])})

    assert response.status_code == 200
    assert "Evidence that supports it for V1.1: that evidence item is not part of this self-assessment." in text(response)
    assert not SelfRating.objects.exists()
