"""The service report PDF, read the way its readers read it: a tagged PDF with a title and a language,
a cover with the team, a summary with the decision once recorded, charts with alt text, every value
and criterion, the action plan, the method and a glossary, "Page x of y" on every page; the network
comparison without naming anyone, the trend through earlier reviews; and text people wrote shown as
text, never followed.

Rendering costs about a second, so one review is built and its draft and final reports are
downloaded once for the module; each test reads them."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reviews.models import CycleState, FindingKind, PeerRating, Report
from reviews.peer.services import plan_visit
from reviews.reports import pdf as pdf_module
from reviews.reports.build import build_service_report
from reviews.templatetags.review_tags import long_date
from standards.models import Criterion, Value
from tests.factories import MemberQuoteFactory, build_edition
from tests.support.documents import (
    document_language,
    download,
    drawn_images,
    figures,
    pdf_info,
    pdf_lines,
    pdf_pages,
    pdf_text,
    recording_fetcher,
    squeezed,
)
from tests.support.personas import browser_for, make_personas
from tests.support.reviews import OTHER_NAMES, STAFF, PeerReview, other_services, settled_review

# Every test is marked, so that the test database is set up even when only the module's shared
# report is asked for (pytest-django sets up databases for the tests that ask for one).
pytestmark = pytest.mark.django_db

VALUE_NAMES = ["Belonging", "Voice", "Safety", "Openness"]
REVIEWER_COMMENT = 'We saw <img src="file:///etc/passwd"> on the noticeboard.'
MEMBER_QUOTE = "They ask us first, and then they do it."
STRENGTH = 'People are welcomed warmly <img src="http://127.0.0.1:9/strength.png">'
DEVELOPMENT = "Night staff are not yet part of reflective practice: see http://127.0.0.1:9/notes"
ACTION = "Include night staff in reflective practice."


@dataclass
class Built:
    day: datetime.date  # the day the review was built: the visit (never before the cycle opened), decision and issue
    draft: bytes  # the draft PDF, downloaded by the service lead before the decision
    final: bytes  # final version 1, issued by the administrator and downloaded by the commissioner
    service: str
    values: list
    criteria: list
    team: list  # (name, role as the report words it)
    earlier: list  # the trend's labels of the service's earlier reviews, oldest first
    current: str
    version: str  # the current review's edition
    issued_by: str
    fetched: list  # every address WeasyPrint asked for while rendering both


def named_edition():
    edition = build_edition(values=4, criteria_per_value=3)
    for code, name in zip(["V1", "V2", "V3", "V4"], VALUE_NAMES, strict=True):
        Value.objects.filter(edition=edition, code=code).update(name=name)
    return edition


def build_the_review(fetched):
    day = timezone.localdate()
    personas = make_personas()
    home = personas.home
    earlier_edition = build_edition(values=2, criteria_per_value=2, version="2024.1")
    earlier = [
        settled_review(earlier_edition, home, not_met=["V1.1"], opened=datetime.date(2024, 3, 12)),
        settled_review(earlier_edition, home, opened=datetime.date(2025, 4, 2)),
    ]
    edition = named_edition()
    other_services(edition, OTHER_NAMES[:5])  # five other services have final reviews

    review = PeerReview(personas, edition=edition)
    review.self_rate("V1.1", "Met", STAFF)
    review.members_answer("V1.3", *["yes"] * 3, *["sometimes"] * 2, "no")  # six: shown
    review.members_answer("V1.2", *["no"] * 4)  # four: too few to show
    review.cycle.members_stated = 20
    review.cycle.save(update_fields=["members_stated"])
    MemberQuoteFactory(cycle=review.cycle, text=MEMBER_QUOTE, agreed_by=personas.lead, agreed_at=timezone.now())
    MemberQuoteFactory(cycle=review.cycle, text="A quote the service did not agree to.")
    review.to(CycleState.VISIT)
    plan_visit(review.cycle, date=day, notes="", planned_by=personas.admin)
    review.everyone_rates()
    PeerRating.objects.filter(team_member__user=personas.reviewer, criterion__code="V2.2").update(
        comment=REVIEWER_COMMENT
    )
    review.agree_everything(V1_2="Partly met", V3_1="Not met")
    review.finish()
    review.finding(kind=FindingKind.STRENGTH, text=STRENGTH)
    review.finding(kind=FindingKind.DEVELOPMENT, text=DEVELOPMENT)
    review.action(description=ACTION, code="V2.1")
    review.to(CycleState.REPORT_DRAFT)

    response, draft = download(browser_for(personas.lead), review.url("report-pdf"))
    assert response.status_code == 200

    review.to(CycleState.FINAL)
    browser_for(personas.admin).post(review.url("report-issue"))
    response, final = download(browser_for(personas.commissioner), review.url("report-final", 1))
    assert response.status_code == 200

    roles = {"reviewer": "peer reviewer", "lived_experience_reviewer": "lived-experience reviewer",
             "lead_reviewer": "lead reviewer"}
    return Built(
        day=day, draft=draft, final=final, service=home.name, values=VALUE_NAMES,
        criteria=list(Criterion.objects.filter(edition=edition).values_list("code", flat=True)),
        team=[(str(getattr(personas, name)), role) for name, role in roles.items()],
        earlier=[f"Opened {long_date(cycle.opened_at)}" for cycle in earlier],  # not decided: placed by their opening
        current=f"Decided {long_date(day)}", version=edition.version, issued_by=str(personas.admin), fetched=fetched,
    )


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The review's draft and final PDFs; the data they were built from is rolled back."""
    fetched = []
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        pytest.MonkeyPatch.context() as patch,
    ):
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not the test database: {name}"
        cache.clear()
        patch.setattr(pdf_module, "safe_fetcher", recording_fetcher(fetched))
        with transaction.atomic():
            result = build_the_review(fetched)
            transaction.set_rollback(True)
        cache.clear()
    return result


def pages_of(pdf):
    return [pdf_text(pdf, page) for page in range(1, pdf_pages(pdf) + 1)]


# --- the document -----------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["draft", "final"])
def test_service_report_pdf_is_tagged_with_title_and_language(built, version):
    pdf = getattr(built, version)

    info = pdf_info(pdf)

    assert info["Tagged"] == "yes"
    assert info["Title"] == "Peer review report: Kestrel Wing"
    assert document_language(pdf) == "en-GB"


@pytest.mark.parametrize("version", ["draft", "final"])
def test_service_report_pdf_every_image_has_alt_text(built, version):
    pdf = getattr(built, version)

    alts = figures(pdf)

    # by value, by tier, the members' answers in value 1, the network and the trend: each drawn once,
    # each a figure with words
    assert drawn_images(pdf) == len(alts) == 5
    assert all(alt and len(alt) > 40 for alt in alts), alts


def test_service_report_pdf_has_cover_summary_charts_values_actions_and_method(built):
    pages = pages_of(built.final)

    assert 6 <= len(pages) <= 12  # cover, summary, charts, the values one after another, the plan and the method
    cover, summary = pages[0], pages[1]
    assert "Kestrel Wing" in cover and "Review team" in cover and "Test Standards, edition" in cover
    assert "Summary" in summary and "of applicable criteria met" in summary
    charts = next(page for page in pages if "The picture in charts" in page)
    assert "Criteria met by value: staff and agreed" in charts
    for number, name in enumerate(built.values, start=1):
        assert sum(f"{name} V{number}.1 · tier" in page for page in pages) == 1, name
    closing = " ".join(pages[-2:])
    for heading in ("Action plan", "How the review was done", "Glossary"):
        assert heading in closing
    assert pages.index(charts) < min(i for i, page in enumerate(pages) if f"{built.values[0]} V1.1" in page)


def test_service_report_pdf_names_every_value_and_criterion(built):
    text = pdf_text(built.final)

    assert "Kestrel Wing" in text
    assert all(name in text for name in built.values)
    assert all(f"{code} · tier" in text for code in built.criteria)
    assert len(built.criteria) == 12


def test_service_report_pdf_numbers_every_page_of_the_whole(built):
    pages = pages_of(built.final)

    assert [f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1)] == [True] * len(pages)


def test_service_report_pdf_cover_lists_team_with_roles(built):
    cover = pdf_text(built.final, 1)

    for name, role in built.team:
        assert f"{name}, {role}" in cover
    assert f"Visit {long_date(built.day)}" in cover


def test_service_report_pdf_shows_agreed_ratings_actions_and_findings(built):
    text = pdf_text(built.final)

    assert ("V1.2 · tier 3 · Statement for V1.2. Staff: not asked · Members: too few answers to show · "
            "Reviewers: median 2 (2–2, n=3)") in text
    assert "V1.3 · tier 1 · Statement for V1.3. Staff: — · Members: Yes 3 · Sometimes 2 · No 1 (n=6) ·" in text
    assert "Agreed: Partly met" in text and "Agreed: Not met" in text
    assert "Why agreed: The team weighed every view." in text
    assert ACTION in text
    assert "Areas for development" in text and squeezed("Night staff are not yet part of reflective practice") in squeezed(text)


def test_service_report_pdf_draft_has_no_decision_yet(built):
    text = pdf_text(built.draft)

    assert "No decision has been recorded yet." in text
    assert "Awarded" not in text
    assert f"Draft report, built {long_date(built.day)} from the current data: not final" in pdf_text(
        built.draft, 2)


def test_service_report_pdf_final_shows_decision_once_recorded(built):
    text = pdf_text(built.final)

    assert "Decision Awarded" in pdf_text(built.final, 1)
    assert "Awarded The agreed ratings meet the award rule." in pdf_text(built.final, 2)
    assert "No decision has been recorded yet." not in text
    assert "Draft" not in text
    assert f"Final report, version 1, issued {long_date(built.day)}" in pdf_text(built.final, 1)
    assert f"Issued by {built.issued_by}." in text


def test_service_report_pdf_gives_the_members_voice_as_counts_rate_and_agreed_quotes(built):
    text = pdf_text(built.final)
    members = text[text.index("The members' voice"):]

    assert squeezed("10 members answered the questionnaire (50.0% of the 20 members the service stated): "
                    "10 online, 0 at questionnaire sessions, 0 on paper.") in squeezed(members)
    assert "How members answered, value by value" in text
    lines = pdf_lines(built.final)
    assert any(re.fullmatch(r"Belonging( [\d.]+){3} \d+", line) for line in lines)
    assert MEMBER_QUOTE in members
    assert "A quote the service did not agree to." not in text
    assert "(n=4)" not in text


# --- the network and the trend ----------------------------------------------------------------


def test_service_report_pdf_compares_with_network_without_naming_them(built):
    text = pdf_text(built.final)

    assert "This service and the network" in text
    assert "Compared with 6 services in this edition. No other service is named." in text
    for name in OTHER_NAMES:
        assert name not in text
        assert all(name not in alt for alt in figures(built.final))


def test_service_report_pdf_trend_lists_earlier_cycles(built):
    text = pdf_text(built.final)
    lines = pdf_lines(built.final)

    mar, apr = built.earlier
    trend = text[text.index("Criteria met, review by review"):]
    assert trend.index(mar) < trend.index(apr) < trend.index(f"{built.current} (this review)")
    # The earlier edition has 4 criteria, all in this one: the reviews are compared on those 4.
    assert f"{mar} 2024.1 75.0" in lines and f"{apr} 2024.1 100.0" in lines
    assert f"{built.current} (this review) {built.version} 75.0" in trend
    note = (f"Compared on the 4 criteria both editions share (edition 2024.1 has 4, edition {built.version} has 12). "
            "Over all 12 of its criteria, this review met 83%.")
    assert note in text
    trend_alt = figures(built.final)[-1]
    assert (f"75% ({mar[0].lower()}{mar[1:]}, edition 2024.1), then 100% ({apr[0].lower()}{apr[1:]}, edition 2024.1), "
            f"then 75% (decided {built.current.removeprefix('Decided ')}, edition {built.version}, this review). "
            f"{note}") in trend_alt


# --- what people wrote is text, never followed ------------------------------------------------


def test_service_report_pdf_shows_markup_people_wrote_as_text(built):
    text = squeezed(pdf_text(built.final))

    assert squeezed(REVIEWER_COMMENT) in text
    assert squeezed(STRENGTH) in text
    assert squeezed(DEVELOPMENT) in text


def test_service_report_pdf_fetches_nothing_but_data_uris(built):
    assert built.fetched  # the charts
    assert [url for url in built.fetched if not url.startswith("data:image/png;base64,")] == []


# --- the network comparison's threshold -------------------------------------------------------


def test_service_report_pdf_has_no_network_comparison_with_four_services(personas, private_media):
    edition = named_edition()
    other_services(edition, OTHER_NAMES[:4])  # this service's own draft is not final: it does not count
    review = PeerReview(personas, edition=edition).to(CycleState.REPORT_DRAFT)

    built = build_service_report(review.cycle)

    text = pdf_text(built.pdf)
    assert built.data["network"] is None
    assert "This service and the network" not in text
    # (pdftotext mixes the words of the charts' screen-reader captions into the line before)
    assert "network comparison appears once at least five services in this edition have a final review." in text
    assert drawn_images(built.pdf) == len(figures(built.pdf)) == 3
    assert all(name not in text for name in OTHER_NAMES)


def test_service_report_page_shows_network_comparison_from_five_services(personas, client_for, private_media):
    edition = named_edition()
    others = other_services(edition, OTHER_NAMES[:4])
    review = PeerReview(personas, edition=edition).to(CycleState.REPORT_DRAFT)
    client = client_for(personas.admin)
    before = client.get(review.url("report")).content.decode()

    others.append(settled_review(edition, name=OTHER_NAMES[4]))
    after = client.get(review.url("report")).content.decode()

    assert "This service and the network" not in before
    assert "Compared with 5 services in this edition. No other service is named." in after
    assert all(name not in after for name in OTHER_NAMES)
    assert Report.objects.count() == 0  # the page draws charts; it builds no PDF
    assert reverse("reports:report-pdf", args=[review.cycle.pk]) in after
