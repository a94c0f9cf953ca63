"""The web report page serves its data and charts from the cache while nothing the report shows
has changed: a repeat view is the same page, read in a few queries; a change shows at once; and a
reader never gets the copy built for another reader's disclosure set."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from reviews.models import CycleState
from reviews.reports import report_page
from reviews.reports.charts import service as service_charts
from reviews.reports.services import issue_final_report
from reviews.templatetags.review_tags import long_date
from tests.support.days import on_day
from tests.support.pages import table, text
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.usefixtures("private_media")


def page(client, review):
    response = client.get(review.url("report"))
    assert response.status_code == 200
    return response


def html_of(response):
    """The page without its form token (which every response draws afresh)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def chart_titles(response):
    return re.findall(r"<figcaption>([^<]*)</figcaption>", response.content.decode())


def by_value(response):
    return table(response, chart_titles(response)[0])


def test_repeat_view_is_the_same_page_from_the_cache(personas, client_for, django_assert_max_num_queries):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = client_for(personas.admin)
    first = page(client, review)

    # the session, the person and their roles, the cycle and its team, the fingerprint, the finals
    with django_assert_max_num_queries(12):
        again = page(client, review)

    assert html_of(again) == html_of(first)
    assert 'src="data:image/png;base64,' in again.content.decode()


def test_first_view_reads_a_bounded_number_of_queries(personas, client_for, django_assert_max_num_queries):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = client_for(personas.admin)
    cache.clear()

    with django_assert_max_num_queries(45):
        page(client, review)


def test_new_agreed_rating_shows_at_the_next_view(personas, client_for):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates().agree_everything()
    client = client_for(personas.admin)
    before = page(client, review)

    review.agree("V1.1", "Not met", rationale="The minutes show no meetings since March.")
    after = page(client, review)

    assert html_of(after) != html_of(before)
    assert by_value(before)[0].endswith("100.0")
    assert by_value(after)[0].endswith("66.7")  # two of the value's three criteria met


def test_page_built_for_one_reader_is_never_served_to_another(personas, client_for):
    """A member does not see the staff's own ratings: after an administrator's view fills the
    cache, the member's page still has no staff figures, and is the page built for them alone."""
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.self_rate("V1.1", "Not met")
    review.to(CycleState.FINAL)
    admins = page(client_for(personas.admin), review)

    members = page(client_for(personas.member), review)
    cache.clear()
    members_fresh = page(client_for(personas.member), review)

    assert "staff" in chart_titles(admins)[0].lower()
    assert "Staff" in text(admins)
    assert "staff" not in chart_titles(members)[0].lower()
    assert "Staff" not in text(members)
    assert html_of(members) == html_of(members_fresh)


def test_charts_drawn_when_the_final_report_is_issued_are_those_its_readers_pages_show(personas, client_for,
                                                                                     monkeypatch):
    """Charts are cached under the figures they show: the final report drawn at the decision has
    drawn what the administrator's and commissioner's pages show; the member's copy shows other
    figures (no staff ratings), so their page draws its own."""
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.self_rate("V1.1", "Not met")
    review.to(CycleState.FINAL)
    cache.clear()
    issue_final_report(review.cycle, issued_by=personas.admin)
    drawn = []
    draw = service_charts.render
    monkeypatch.setattr(service_charts, "render", lambda charts: drawn.append(charts) or draw(charts))

    readers = {persona: page(client_for(getattr(personas, persona)), review)
               for persona in ("admin", "commissioner", "lead", "member")}

    assert all('src="data:image/png;base64,' in response.content.decode() for response in readers.values())
    assert len(drawn) == 1
    assert "staff" in chart_titles(readers["commissioner"])[0].lower()
    assert "staff" not in chart_titles(readers["member"])[0].lower()


def gatherings(monkeypatch):
    """The times a report page gathers the report's data from the database."""
    gathered = []
    gather = report_page.service_report_data
    monkeypatch.setattr(report_page, "service_report_data", lambda cycle: gathered.append(cycle) or gather(cycle))
    return gathered


def test_every_reader_is_served_from_one_gathering_of_the_data(personas, client_for, monkeypatch):
    review = PeerReview(personas).to(CycleState.FINAL)
    cache.clear()
    gathered = gatherings(monkeypatch)

    pages = {persona: page(client_for(getattr(personas, persona)), review)
             for persona in ("admin", "commissioner", "member")}

    assert len(gathered) == 1
    assert "Staff" in text(pages["commissioner"]) and "Staff" not in text(pages["member"])


def test_a_decided_reviews_first_reader_gets_what_issuing_the_final_report_gathered(personas, client_for,
                                                                                    monkeypatch):
    review = PeerReview(personas).to(CycleState.FINAL)
    cache.clear()
    issue_final_report(review.cycle, issued_by=personas.admin)
    gathered = gatherings(monkeypatch)

    commissioners = page(client_for(personas.commissioner), review)
    cache.clear()
    built_afresh = page(client_for(personas.commissioner), review)

    assert gathered == [review.cycle]  # only once the cache was emptied
    assert html_of(commissioners) == html_of(built_afresh)


def test_the_next_days_page_is_served_from_the_cache_until_an_action_falls_overdue(personas, client_for,
                                                                                   monkeypatch):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    today = timezone.localdate()
    review.action(due_date=today + datetime.timedelta(days=3))
    client = client_for(personas.admin)
    page(client, review)
    gathered = gatherings(monkeypatch)

    on_day(monkeypatch, today + datetime.timedelta(days=1))
    page(client, review)
    on_day(monkeypatch, today + datetime.timedelta(days=4))
    page(client, review)

    assert len(gathered) == 1  # only on the day the action fell overdue


def test_another_readers_view_does_not_change_what_the_first_is_served(personas, client_for):
    review = PeerReview(personas).to(CycleState.FINAL)
    first = page(client_for(personas.admin), review)

    page(client_for(personas.commissioner), review)
    page(client_for(personas.member), review)
    again = page(client_for(personas.admin), review)

    assert html_of(again) == html_of(first)


def test_report_page_says_what_it_is_and_offers_the_right_pdf(personas, client_for):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = client_for(personas.admin)
    today = long_date(timezone.localdate())

    draft = text(page(client, review))
    review.to(CycleState.FINAL)
    working = text(page(client, review))
    client.post(review.url("report-issue"))
    issued = text(page(client, review))

    assert f"Draft report, built {today} from the current data: not final" in draft
    assert "Draft report from the current data (PDF)" in draft
    assert f"Working copy, built {today}: no final version has been issued" in working
    assert "Working copy from the current data (PDF)" in working and "Draft report" not in working
    assert "Final report, version 1 (PDF)" in issued
    assert "Working copy from the current data (PDF)" not in issued and "Draft report" not in issued
