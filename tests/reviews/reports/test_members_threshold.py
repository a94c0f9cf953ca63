"""Counted, never exposed: below the edition's minimum (five answers of Yes, Sometimes or No to a
question) no count and no share of the members' answers appears on any page, in any PDF or in any
export; from the minimum they all do.

Each service's members answer V1.3 in a pattern found nowhere else: three Yes, one No and (below
the minimum) one Don't know, which does not count towards the minimum; the fifth counted answer
is Sometimes."""

import pytest
from django.utils import timezone

from reviews.models import CycleState
from reviews.reports.build import build_network_report, build_service_report
from standards.models import Criterion
from tests.factories import MemberResponseFactory
from tests.support.documents import csv_rows, download, json_export, pdf_lines, pdf_text
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import OTHER_NAMES, PeerReview, other_services

pytestmark = pytest.mark.usefixtures("private_media")

FOUR = ("yes", "yes", "yes", "no", "dont_know")
FIVE = (*FOUR, "sometimes")
# What the counts and shares look like wherever they would appear, for four and for five answers.
SHOWN = {
    4: ["Yes 3 · Sometimes 0 · No 1", "n=4", "75.0 0.0 25.0"],
    5: ["Yes 3 · Sometimes 1 · No 1 (n=5)", "60.0 20.0 20.0"],
}


def answered(personas, answers):
    review = PeerReview(personas)
    review.members_answer("V1.3", *answers)
    edition = review.cycle.edition
    question = Criterion.objects.get(edition=edition, code="V1.3")
    for cycle in other_services(edition, OTHER_NAMES[:5]):
        for answer in answers:
            MemberResponseFactory(cycle=cycle, answers={question: answer})
    review.to(CycleState.FINAL)
    browser_for(personas.admin).post(review.url("report-issue"))
    return review


def documents(personas, review):
    """Every page, PDF and export that could show the members' counts, as text."""
    admin = browser_for(personas.admin)
    texts = {
        "report page": text(admin.get(review.url("report"))),
        "agreement grid": text(admin.get(review.url("agreement"))),
        "agree V1.3": text(admin.get(review.url("agree-criterion", "V1.3"))),
    }
    # (the draft link of a decided review gives its final: the report as built from the data now is read directly)
    for name, pdf in (("draft PDF", build_service_report(review.cycle).pdf),
                      ("final PDF", download(admin, review.url("report-final", 1))[1])):
        texts[name] = pdf_text(pdf) + "\n" + "\n".join(pdf_lines(pdf))
    csv = csv_rows(admin, review.url("cycle-export", "csv"))
    texts["CSV"] = str(csv)
    texts["JSON"] = str(json_export(admin, review.url("cycle-export", "json")))
    network = build_network_report(review.cycle.edition, timezone.now().year)
    texts["network PDF"] = pdf_text(network.pdf) + "\n" + "\n".join(pdf_lines(network.pdf))
    return texts, next(row for row in csv if row["criterion_code"] == "V1.3"), network.data


def test_four_answers_show_no_count_or_share_anywhere(personas):
    review = answered(personas, FOUR)

    texts, csv_row, network = documents(personas, review)

    for name, words in texts.items():
        for shown in SHOWN[4]:
            assert shown not in words, (name, shown)
    assert "Too few answers to show" in texts["agreement grid"]
    assert "too few answers to show" in texts["final PDF"]
    assert "How members answered, value by value" not in texts["final PDF"]  # no chart with nothing shown
    assert [csv_row[f"members_{key}"] for key in ("n", "yes", "sometimes", "no", "dont_know")] == [""] * 5
    assert "'yes': 3" not in texts["JSON"]
    assert [row["enough"] for row in network["members"]][0] is False
    assert "fewer than 5: not shown" in texts["network PDF"]


def test_five_answers_show_the_counts_and_shares(personas):
    review = answered(personas, FIVE)

    texts, csv_row, network = documents(personas, review)

    assert SHOWN[5][0] in texts["agreement grid"] and SHOWN[5][0] in texts["agree V1.3"]
    for name in ("draft PDF", "final PDF"):
        assert SHOWN[5][0] in texts[name] and "Value 1 60.0 20.0 20.0 1" in texts[name], name
    assert "Value 1 60.0 20.0 20.0 1" in texts["report page"]  # the chart's table: one question counted
    assert [csv_row[f"members_{key}"] for key in ("n", "yes", "sometimes", "no", "dont_know")] == ["5", "3", "1", "1", "1"]
    assert "'n': 5, 'yes': 3, 'sometimes': 1, 'no': 1, 'dont_know': 1" in texts["JSON"]
    value_1 = network["members"][0]
    assert (value_1["services"], value_1["yes"], value_1["sometimes"], value_1["no"]) == (6, 60.0, 20.0, 20.0)
    assert "Value 1 6 60.0 20.0 20.0" in texts["network PDF"]
