"""Each person chooses which reminders they get; essential notices are always sent."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.notices.models import NoticeOptOut
from tests.support.pages import text
from tests.support.personas import browser_for

pytestmark = pytest.mark.django_db

URL = reverse("reviews:notice-settings")


def test_every_kind_is_listed_with_the_essential_ones_as_always_sent(personas):
    page = browser_for(personas.staff).get(URL)
    html = page.content.decode()
    words = text(page)

    assert page.status_code == 200
    assert "<fieldset" in html and "<legend>Email me when</legend>" in html
    assert html.count('type="checkbox"') == 7
    assert 'value="self_assessment_due" id="id_wanted_0" checked' in html
    assert "Your service's self-assessment is due soon or overdue" in words
    assert "Always sent" in words
    always = words[words.index("Always sent"):]
    for essential in ("An urgent concern is recorded or escalated to you", "You are invited to a peer-review visit",
                      "A decision about a review you are part of"):
        assert essential in always
    assert 'value="decision"' not in html


def test_turning_reminders_off_and_on_again(personas):
    client = browser_for(personas.staff)

    off = client.post(URL, {"wanted": ["ratings_due", "report_ready", "draft_ready", "comments_waiting",
                                       "actions_overdue", "award_expiring"]}, follow=True)
    turned_off = set(NoticeOptOut.objects.filter(user=personas.staff).values_list("kind", flat=True))
    on = client.post(URL, {"wanted": ["self_assessment_due", "ratings_due", "report_ready", "draft_ready",
                                      "comments_waiting", "actions_overdue", "award_expiring"]}, follow=True)

    assert "Your choice of emails is saved." in text(off)
    assert turned_off == {"self_assessment_due"}
    assert 'value="self_assessment_due" id="id_wanted_0">' in off.content.decode()
    assert "Your choice of emails is saved." in text(on)
    assert not NoticeOptOut.objects.filter(user=personas.staff).exists()


def test_an_essential_notice_cannot_be_turned_off(personas):
    response = browser_for(personas.lead).post(URL, {"wanted": ["decision"]})

    assert response.status_code == 200
    assert "There is a problem Email me when: choose one of the options shown" in text(response)
    assert '<a href="#id_wanted">' in response.content.decode() and '<fieldset class="field" id="id_wanted"' in (
        response.content.decode())
    assert not NoticeOptOut.objects.filter(user=personas.lead).exists()


def test_each_person_changes_only_their_own_choice(personas):
    browser_for(personas.staff).post(URL, {})

    assert NoticeOptOut.objects.filter(user=personas.staff).count() == 7
    assert not NoticeOptOut.objects.filter(user=personas.lead).exists()


def test_the_header_links_to_the_choice_of_emails(personas):
    home = browser_for(personas.member).get("/")
    assert f'href="{URL}"' in home.content.decode() and "Your emails" in text(home)


def test_signing_in_comes_first(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_page_costs_the_same_queries_however_many_emails_are_turned_off(personas):
    client = browser_for(personas.staff)
    client.get(URL)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    none_off = counted()
    NoticeOptOut.objects.bulk_create(NoticeOptOut(user=personas.staff, kind=kind) for kind in
                                     ["ratings_due", "draft_ready", "comments_waiting", "actions_overdue"])
    assert counted() == none_off <= 8
