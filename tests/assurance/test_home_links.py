"""No link leads to "Page not found": the service in a cycle's breadcrumb is a link only for those
who may open the service's page, and every link on each person's home page opens. Reviewers find
their conflicts of interest from their home and from the visit page."""

import re

import pytest
from django.urls import reverse

from reviews.models import CycleState, FindingKind
from tests.support.personas import PERSONA_NAMES, browser_for
from tests.support.reviews import PeerReview

HREF = re.compile(r'href="(/[^"#]*)')


def links_on(response):
    return sorted(set(HREF.findall(response.content.decode())))


def _status(client, url):
    response = client.get(url)
    if response.streaming:
        # Read a file download to its end: the test client then closes it without ending the
        # database connection (calling close() here would, on PostgreSQL, inside the test's transaction).
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def review(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    review.finding(FindingKind.URGENT, "Night checks are skipped.")
    review.comment(code="V1.1")
    return review


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_every_link_on_the_home_page_opens(personas, review, persona):
    client = browser_for(getattr(personas, persona))

    broken = [url for url in links_on(client.get("/")) if not url.startswith("/static/") and _status(client, url) == 404]

    assert broken == []


@pytest.mark.parametrize("persona", ["reviewer", "lived_experience_reviewer", "lead_reviewer"])
def test_reviewers_read_the_service_in_the_breadcrumb_without_a_link_to_a_page_they_cannot_open(personas, review,
                                                                                               persona):
    client = browser_for(getattr(personas, persona))
    service_page = personas.home.get_absolute_url()

    for page in (review.url("cycle"), review.url("visit"), review.url("accuracy")):
        response = client.get(page)
        assert response.status_code == 200
        assert "Kestrel Wing" in response.content.decode()
        assert service_page not in links_on(response), page
    assert client.get(service_page).status_code == 404


@pytest.mark.parametrize("persona", ["lead", "staff", "admin"])
def test_the_service_and_administrators_follow_the_breadcrumb_to_the_service(personas, review, persona):
    client = browser_for(getattr(personas, persona))

    for page in (review.url("cycle"), review.url("visit"), review.url("accuracy")):
        assert personas.home.get_absolute_url() in links_on(client.get(page)), page
    assert client.get(personas.home.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["reviewer", "lived_experience_reviewer", "lead_reviewer"])
def test_reviewers_find_their_conflicts_of_interest_from_home_and_the_visit_page(personas, review, persona):
    client = browser_for(getattr(personas, persona))
    conflicts = reverse("reviews:conflicts")

    assert conflicts in links_on(client.get("/"))
    assert conflicts in links_on(client.get(review.url("visit")))
    assert client.get(conflicts).status_code == 200


@pytest.mark.parametrize("persona", ["lead", "member", "commissioner"])
def test_others_are_not_sent_to_the_conflicts_page(personas, review, persona):
    client = browser_for(getattr(personas, persona))

    assert reverse("reviews:conflicts") not in links_on(client.get("/"))
