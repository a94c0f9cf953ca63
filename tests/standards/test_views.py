"""The standards pages: browsing an edition, filtering its criteria, comparing two editions,
downloading one, and (for network administrators only) loading a file."""

import re

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from standards.files import MAX_FILE_BYTES, read_standards_file, read_standards_text
from standards.models import Criterion, Edition, EditionStatus
from standards.services import load_standards
from tests.factories import CycleFactory, build_edition
from tests.support.standards import (
    FRAMEWORK,
    STANDARDS_2025,
    STANDARDS_2026,
    database_state,
    edit,
    export,
    line_of,
    load,
    text_2026,
)

NOT_ADMINS = ["lead", "staff", "member", "reviewer", "lived_experience_reviewer", "lead_reviewer", "commissioner", "outsider"]


def _edition_url(version, framework=FRAMEWORK, **query):
    url = reverse("standards:edition", args=[framework, version])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def _compare_url(old, new, framework=FRAMEWORK):
    return reverse("standards:compare", args=[framework]) + f"?old={old}&new={new}"


def _articles(html):
    """The criteria shown on an edition page, by code, each with its HTML."""
    return dict(re.findall(r'<article class="criterion" id="criterion-([^"]+)".*?>(.*?)</article>', html, re.DOTALL))


def _codes_in_section(html, heading_id):
    match = re.search(rf'<h3 id="{heading_id}">.*?</section>', html, re.DOTALL)
    return re.findall(r"<strong>([^<]+)</strong>", match.group(0)) if match else []


def _upload(client, content, name="standards.yaml"):
    content = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(reverse("standards:upload"), {"file": SimpleUploadedFile(name, content, "application/yaml")})


@pytest.fixture
def both_editions(db):
    load(STANDARDS_2025, STANDARDS_2026)
    return Edition.objects.get(version="2025.1"), Edition.objects.get(version="2026.1")


@pytest.fixture
def draft(db):
    return build_edition(values=2, criteria_per_value=2, version="9.0", status=EditionStatus.DRAFT)


# --- signing in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("standards:index"),
        reverse("standards:upload"),
        _edition_url("2026.1"),
        reverse("standards:export", args=[FRAMEWORK, "2026.1"]),
        _compare_url("2025.1", "2026.1"),
    ],
    ids=["index", "upload", "edition", "export", "compare"],
)
def test_standards_pages_send_anonymous_people_to_sign_in(url, client, both_editions):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


# --- index --------------------------------------------------------------------------------------


def test_index_lists_published_and_retired_editions_with_their_size(both_editions, personas, client_for):
    response = client_for(personas.member).get(reverse("standards:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{_edition_url("2026.1")}"' in html
    assert f'href="{_edition_url("2025.1")}"' in html
    assert re.search(r'<td class="num">51</td>', html) and re.search(r'<td class="num">47</td>', html)
    assert reverse("standards:compare", args=[FRAMEWORK]) in html
    assert reverse("standards:upload") not in html


def test_index_shows_draft_editions_and_the_load_link_to_network_admins_only(draft, personas, client_for):
    member_html = client_for(personas.member).get(reverse("standards:index")).content.decode()
    admin_html = client_for(personas.admin).get(reverse("standards:index")).content.decode()

    assert _edition_url("9.0", "test-standards") not in member_html
    assert _edition_url("9.0", "test-standards") in admin_html
    assert reverse("standards:upload") in admin_html


# --- edition page -------------------------------------------------------------------------------


def test_edition_page_lists_every_value_and_criterion_in_full(both_editions, personas, client_for):
    edition = both_editions[1]

    response = client_for(personas.member).get(_edition_url("2026.1"))

    html = response.content.decode()
    assert response.status_code == 200
    for value in edition.values.all():
        assert f'id="value-{value.code}-heading"' in html
        assert escape(value.name) in html and escape(value.summary) in html
    articles = _articles(html)
    assert list(articles) == list(Criterion.objects.filter(edition=edition).values_list("code", flat=True))
    for criterion in edition.criteria.all():
        article = articles[criterion.code]
        assert escape(criterion.statement) in article
        assert escape(criterion.guidance) in article
        assert criterion.evidence_examples
        for example in criterion.evidence_examples:
            assert f"<li>{escape(example)}</li>" in article
        assert escape(criterion.get_tier_display()) in article
        assert f"Rated by: {criterion.get_rated_by_display()}" in article
    assert "10 values, 51 criteria" in html


def test_edition_page_shows_rating_levels_award_rule_and_rag(both_editions, personas, client_for):
    html = client_for(personas.staff).get(_edition_url("2026.1")).content.decode()

    assert html.index("<strong>Met</strong>") < html.index("<strong>Partly met</strong>") < html.index("<strong>Not met</strong>")
    assert "<strong>Not applicable</strong>" in html
    assert "At least 100% of tier 1 (essential), 80% of tier 2 (expected) and 60% of tier 3 (desirable) criteria met." in html
    assert "A value is green from 80% of its criteria met, amber from 50%, red below that." in html
    assert reverse("standards:export", args=[FRAMEWORK, "2026.1"]) in html
    assert escape(_compare_url("2025.1", "2026.1")) in html


@pytest.mark.parametrize(
    "query",
    [{"tier": "1"}, {"tier": "3"}, {"rated_by": "staff"}, {"rated_by": "members"}, {"tier": "2", "rated_by": "both"}],
    ids=["tier 1", "tier 3", "rated by staff", "rated by members", "tier 2 rated by both"],
)
def test_edition_page_filter_shows_only_matching_criteria(query, both_editions, personas, client_for):
    edition = both_editions[1]
    expected = list(Criterion.objects.filter(edition=edition, **query).values_list("code", flat=True))

    html = client_for(personas.member).get(_edition_url("2026.1", **query)).content.decode()

    assert expected and len(expected) < 51
    assert list(_articles(html)) == expected
    assert f"Showing {len(expected)} of 51 criteria." in html
    if "tier" in query:
        assert f'<option value="{query["tier"]}" selected>' in html


def test_edition_page_filter_with_no_match_says_so_in_each_value(db, personas, client_for):
    build_edition(values=2, criteria_per_value=2, version="1.0")  # tiers 2 and 3 only

    html = client_for(personas.member).get(_edition_url("1.0", "test-standards", tier="1")).content.decode()

    assert _articles(html) == {}
    assert html.count("No criteria in this value match the filter.") == 2
    assert "Showing 0 of 4 criteria." in html


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_edition_page_draft_is_not_found_for_anyone_but_network_admins(persona, draft, personas, client_for):
    client = client_for(getattr(personas, persona))

    assert client.get(_edition_url("9.0", "test-standards")).status_code == 404
    assert client.get(reverse("standards:export", args=["test-standards", "9.0"])).status_code == 404


def test_edition_page_draft_is_shown_to_network_admins(draft, personas, client_for):
    client = client_for(personas.admin)

    response = client.get(_edition_url("9.0", "test-standards"))

    assert response.status_code == 200
    assert "Draft" in response.content.decode()
    assert client.get(reverse("standards:export", args=["test-standards", "9.0"])).status_code == 200


def test_edition_page_unknown_version_is_not_found(both_editions, personas, client_for):
    assert client_for(personas.admin).get(_edition_url("2027.1")).status_code == 404


# --- compare ------------------------------------------------------------------------------------


def test_compare_page_lists_added_removed_reworded_and_changed_criteria(both_editions, personas, client_for):
    response = client_for(personas.member).get(_compare_url("2025.1", "2026.1"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "From 2025.1 to 2026.1" in html
    assert _codes_in_section(html, "added-heading") == ["BEL.4", "COM.5", "DEV.3", "INV.5", "SAF.6", "OPE.5"]
    assert _codes_in_section(html, "removed-heading") == ["STR.6", "EMP.6"]
    assert _codes_in_section(html, "reworded-heading") == ["BEL.2", "BOU.1", "COM.1", "SAF.5", "EMP.3", "LEA.4"]
    changed = re.search(r'<h3 id="changed-heading">.*?</section>', html, re.DOTALL).group(0)
    items = dict(re.findall(r"<li><strong>([^<]+)</strong>.*?\(([^()]*)\)</span></li>", changed))
    assert items == {
        "BEL.1": "rated by staff → members",
        "BOU.4": "guidance changed",
        "DEV.5": "tier 3 → 2",
        "SAF.2": "tier 2 → 1",
        "STR.4": "rated by staff and members → staff",
        "OPE.1": "guidance changed",
        "OPE.2": "tier 2 → 3",
    }
    summary = re.search(r'<ul class="cards".*?</ul>', html, re.DOTALL).group(0)
    for count, label in [(6, "added"), (2, "removed"), (6, "reworded"), (7, "otherwise changed"), (32, "the same")]:
        assert f'<span class="stat">{count}</span> {label}' in summary


def test_compare_page_shows_old_and_new_wording(both_editions, personas, client_for):
    old, new = (edition.criteria.get(code="BEL.2") for edition in both_editions)

    html = client_for(personas.member).get(_compare_url("2025.1", "2026.1")).content.decode()

    assert f'<p class="diff-old">{escape(old.statement)}</p><p class="diff-new">{escape(new.statement)}</p>' in html


def test_compare_page_an_edition_with_itself_is_a_form_error(both_editions, personas, client_for):
    html = client_for(personas.member).get(_compare_url("2026.1", "2026.1")).content.decode()

    assert "Later edition: choose two different editions." in html
    assert "From 2026.1 to 2026.1" not in html


def test_compare_page_draft_is_offered_to_network_admins_only(both_editions, personas, client_for):
    draft_text = edit(edit(text_2026(), 'version: "2026.1"', 'version: "2027.1"'), "status: published", "status: draft")
    load_standards([read_standards_text(draft_text, "2027.1.yaml")])

    member_html = client_for(personas.member).get(_compare_url("2026.1", "2027.1")).content.decode()
    admin_html = client_for(personas.admin).get(_compare_url("2026.1", "2027.1")).content.decode()

    assert "Later edition: choose one of the options shown" in member_html
    assert "From 2026.1 to 2027.1" not in member_html
    assert 'value="2027.1"' not in member_html
    assert "From 2026.1 to 2027.1" in admin_html
    assert "The two editions have the same criteria." in admin_html


def test_compare_page_without_a_choice_shows_the_form(both_editions, personas, client_for):
    response = client_for(personas.member).get(reverse("standards:compare", args=[FRAMEWORK]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="2025.1">2025.1 (retired)</option>' in html
    assert '<option value="2026.1">2026.1 (published)</option>' in html
    assert "There is a problem" not in html


def test_compare_page_unknown_framework_is_not_found(both_editions, personas, client_for):
    assert client_for(personas.member).get(_compare_url("1", "2", framework="no-such-standards")).status_code == 404


# --- export -------------------------------------------------------------------------------------


def test_export_download_is_a_yaml_attachment_in_the_standards_format(both_editions, personas, client_for):
    response = client_for(personas.commissioner).get(reverse("standards:export", args=[FRAMEWORK, "2026.1"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{FRAMEWORK}-2026.1.yaml"'
    body = response.content.decode("utf-8")
    assert body == export(FRAMEWORK, "2026.1")
    assert read_standards_text(body, "download").data == read_standards_file(STANDARDS_2026).data


# --- upload -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_upload_page_is_not_found_for_anyone_but_network_admins(persona, db, personas, client_for):
    client = client_for(getattr(personas, persona))
    before = database_state()

    assert client.get(reverse("standards:upload")).status_code == 404
    assert _upload(client, text_2026()).status_code == 404
    assert database_state() == before


def test_upload_page_shows_the_form_to_network_admins(db, personas, client_for):
    response = client_for(personas.admin).get(reverse("standards:upload"))

    assert response.status_code == 200
    assert '<input type="file" name="file"' in response.content.decode()


def test_upload_valid_file_loads_it_and_goes_to_the_edition(db, personas, client_for):
    client = client_for(personas.admin)

    response = _upload(client, text_2026(), "relational-practice-standards-2026.yaml")

    assert response.status_code == 302
    assert response["Location"] == _edition_url("2026.1")
    edition = Edition.objects.get(framework__slug=FRAMEWORK, version="2026.1")
    assert edition.criteria.count() == 51
    entries = LogEntry.objects.filter(content_type__app_label="standards")
    assert entries.count() == 66  # framework, edition, 3 levels, 10 values, 51 criteria
    assert {entry.actor for entry in entries} == {personas.admin}
    page = client.get(response["Location"]).content.decode()
    assert "Relational Practice Standards 2026.1: created." in page


def test_upload_same_file_again_changes_nothing(db, personas, client_for):
    client = client_for(personas.admin)
    _upload(client, text_2026())
    before = database_state()

    response = _upload(client, text_2026())

    assert response.status_code == 302
    assert database_state() == before
    assert "Relational Practice Standards 2026.1: unchanged." in client.get(response["Location"]).content.decode()


def test_upload_invalid_file_shows_every_problem_and_changes_nothing(personas, client_for):
    load(STANDARDS_2025)
    text = edit(text_2026(), "tier: 2", "tier: 4", after="- code: BEL.2")
    text = edit(text, "rated_by: both", "rated_by: everyone", after="- code: BOU.2")
    text = edit(text, "amber: 50", "amber: 90")
    before = database_state()

    response = _upload(client_for(personas.admin), text)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The file has 3 problems. Nothing was saved." in html
    for line, entry, message in [
        (line_of(text, "tier: 4"), "values[0].criteria[1].tier", "must be one of 1, 2, 3, not 4"),
        (line_of(text, "rated_by: everyone"), "values[1].criteria[1].rated_by", "must be one of staff, members, both, not 'everyone'"),
        (line_of(text, "amber: 90"), "rag.amber", "must not be above rag.green (90 > 80)"),
    ]:
        assert f"<li>Line {line}: <code>{entry}</code> {escape(message)}</li>" in html
    assert '<input type="file" name="file"' in html
    assert database_state() == before


def test_upload_file_that_is_not_yaml_is_explained(db, personas, client_for):
    before = database_state()

    html = _upload(client_for(personas.admin), b"\x89PNG\r\n\x1a\n\x00\x00", "photo.yaml").content.decode()

    assert "The file has 1 problem. Nothing was saved." in html
    assert "is not UTF-8 text (byte 0)" in html
    assert database_state() == before


def test_upload_over_a_used_edition_is_refused_with_advice(db, personas, client_for):
    load(STANDARDS_2026)
    CycleFactory(edition=Edition.objects.get(version="2026.1"))
    before = database_state()

    response = _upload(client_for(personas.admin), edit(text_2026(), "tier_2: 80", "tier_2: 70"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "is already used by a review cycle" in html
    assert "Publish a new version instead" in html and "2026.2" in html
    assert database_state() == before


def test_upload_too_large_file_is_refused(db, personas, client_for):
    before = database_state()

    html = _upload(client_for(personas.admin), b"#" * (MAX_FILE_BYTES + 1)).content.decode()

    assert "Standards file (YAML): the file is too large: at most 2 MB." in html
    assert database_state() == before


def test_upload_without_a_file_is_a_form_error(db, personas, client_for):
    response = client_for(personas.admin).post(reverse("standards:upload"), {"file": ""})

    assert response.status_code == 200
    assert "Choose standards file (YAML) to upload" in response.content.decode()
