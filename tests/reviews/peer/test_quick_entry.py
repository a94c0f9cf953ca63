"""Typing in the ratings circled on paper: every criterion on one page, one Save; rows that are
right are saved, a row in error keeps what was typed, a row changed elsewhere is never overwritten."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import CycleState
from tests.factories import build_edition
from tests.support.pages import text
from tests.support.peer import stored_ratings
from tests.support.personas import browser_for
from tests.support.reviews import ABSTAIN, NA, PeerReview, criterion, level


class QuickPage:
    """The fast entry page as a browser holds it: what it sends back, with the choices made on it."""

    def __init__(self, client, cycle):
        self.client, self.cycle = client, cycle
        self.url = reverse("reviews:review-quick", args=[cycle.pk])
        self.response = client.get(self.url)
        assert self.response.status_code == 200
        form = self.response.context["form"]
        self.data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}

    def rate(self, code, choice, comment=None, reason=None):
        pk = criterion(self.cycle, code).pk
        self.data[f"c{pk}_level"] = choice if choice in ("", NA, ABSTAIN) else str(level(self.cycle, choice).pk)
        if comment is not None:
            self.data[f"c{pk}_comment"] = comment
        if reason is not None:
            self.data[f"c{pk}_abstain_reason"] = reason
        return self

    def save(self):
        self.response = self.client.post(self.url, {**self.data, "save": ""})
        return self.response


@pytest.fixture
def review(personas):
    return PeerReview(personas).to(CycleState.VISIT)


def test_every_criterion_on_one_page_in_the_packs_order(personas, review):
    page = QuickPage(browser_for(personas.reviewer), review.cycle)
    html = page.response.content.decode()

    codes = list(review.cycle.edition.criteria.order_by("value__order", "order").values_list("code", flat=True))
    assert [code for code in codes if f'id="criterion-{code}"' in html] == codes
    positions = [html.index(f'id="criterion-{code}"') for code in codes]
    assert positions == sorted(positions)
    assert html.count("<select") == len(codes)
    select = html[html.index("<select"):html.index("</select>")]
    assert all(f">{label}</option>" in select
               for label in ("Not rated yet", "Met", "Partly met", "Not met", "Not applicable", "Abstain"))
    assert html.count('name="save"') == 1


def test_saving_the_paper_ratings(personas, review):
    client = browser_for(personas.reviewer)
    page = QuickPage(client, review.cycle)
    page.rate("V1.1", "Met", comment="Minutes seen.").rate("V1.2", NA).rate("V2.1", ABSTAIN, reason="Not on the wing.")

    response = page.save()

    assert response.status_code == 302
    assert response["Location"] == review.url("review")
    assert "Your ratings are saved." in text(client.get(response["Location"]))
    assert stored_ratings(review.member(personas.reviewer)) == {
        "V1.1": ("Met", "Minutes seen."), "V1.2": ("N/A", ""), "V2.1": ("Abstained: Not on the wing.", ""),
    }


def test_valid_rows_are_saved_and_a_row_in_error_keeps_what_was_typed(personas, review):
    page = QuickPage(browser_for(personas.reviewer), review.cycle)
    page.rate("V1.1", "Met").rate("V2.1", ABSTAIN, comment="Could not get onto the wing.", reason="")

    response = page.save()

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert "Say why you abstain on V2.1." in text(response)
    form = response.context["form"]
    v21 = criterion(review.cycle, "V2.1").pk
    assert form[f"c{v21}_level"].value() == ABSTAIN
    assert form[f"c{v21}_comment"].value() == "Could not get onto the wing."
    assert stored_ratings(review.member(personas.reviewer)) == {"V1.1": ("Met", "")}

    form_data = {name: form[name].value() or "" for name in form.fields}
    form_data[f"c{v21}_abstain_reason"] = "Not allowed onto the wing."
    again = page.client.post(page.url, {**form_data, "save": ""})

    assert again.status_code == 302
    assert stored_ratings(review.member(personas.reviewer))["V2.1"] == (
        "Abstained: Not allowed onto the wing.", "Could not get onto the wing.")


def test_a_rating_changed_elsewhere_is_shown_and_never_overwritten(personas, review):
    page = QuickPage(browser_for(personas.reviewer), review.cycle)
    review.rate(personas.reviewer, {"V1.1": "Not met"})  # meanwhile, on the value's own page
    page.rate("V1.1", "Met").rate("V1.2", "Partly met")

    response = page.save()

    assert response.status_code == 400
    assert "V1.1 was changed elsewhere (another tab or device) meanwhile" in text(response)
    stored = stored_ratings(review.member(personas.reviewer))
    assert stored["V1.1"][0] == "Not met"
    assert stored["V1.2"][0] == "Partly met"
    form = response.context["form"]
    v11 = criterion(review.cycle, "V1.1").pk
    assert form[f"c{v11}_level"].value() == str(level(review.cycle, "Not met").pk)

    form_data = {name: form[name].value() or "" for name in form.fields}
    form_data[f"c{v11}_level"] = str(level(review.cycle, "Met").pk)
    again = page.client.post(page.url, {**form_data, "save": ""})

    assert again.status_code == 302
    assert stored_ratings(review.member(personas.reviewer))["V1.1"][0] == "Met"


def test_a_criterion_from_elsewhere_saves_nothing(personas, review):
    page = QuickPage(browser_for(personas.reviewer), review.cycle)
    page.rate("V1.1", "Met")
    page.data["c999999_level"] = "1"

    response = page.save()

    assert response.status_code == 400
    assert stored_ratings(review.member(personas.reviewer)) == {}


@pytest.mark.parametrize("persona", ["admin", "lead", "staff", "member", "commissioner", "outsider"])
def test_only_the_team_types_in_ratings(personas, review, persona):
    client = browser_for(getattr(personas, persona))
    url = reverse("reviews:review-quick", args=[review.cycle.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"save": ""}).status_code == 404


def test_not_once_submitted(personas, review):
    review.rate_everything(personas.reviewer)
    client = browser_for(personas.reviewer)

    answer = client.get(reverse("reviews:review-quick", args=[review.cycle.pk]), follow=True)
    assert answer.redirect_chain[-1][0] == review.url("review")
    assert "can no longer change" in text(answer)
    assert "Type in ratings from paper" not in text(client.get(review.url("review")))


def test_linked_from_the_review_page(personas, review):
    page = browser_for(personas.reviewer).get(review.url("review"))

    assert reverse("reviews:review-quick", args=[review.cycle.pk]) in page.content.decode()


def test_the_page_reads_as_many_queries_for_few_criteria_as_for_many(personas):
    counts = []
    for size in (1, 6):
        review = PeerReview(personas, edition=build_edition(values=4, criteria_per_value=size)).to(CycleState.VISIT)
        client = browser_for(personas.reviewer)
        url = reverse("reviews:review-quick", args=[review.cycle.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
        review.cycle.service.cycles.update(state=CycleState.CLOSED)

    assert counts[0] == counts[1] and counts[1] <= 30
