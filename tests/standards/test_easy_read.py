"""The members' wording and the members' rule in standards files: `easy_read` is required where
members answer and is checked as easy read; the `members:` section is checked; both are loaded,
shown on the edition page, exported, and the easy-read wording of a used edition may still improve."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from standards.models import Edition
from standards.services import edition_as_data
from tests.factories import CycleFactory
from tests.support.standards import (
    FRAMEWORK,
    SMALL_FILE,
    STANDARDS_2025,
    STANDARDS_2026,
    database_state,
    edit,
    line_of,
    load,
    text_2026,
    write,
)

BEL_1_EASY_READ = "Think about your first day here."
SMALL_EASY_READ = "easy_read: People here are kind to each other. Is this true for you?"
MEMBERS = "members:\n  minimum: 5\n  met_from: 75\n  partly_met_from: 50\n"
LONG_SENTENCE = (
    "Staff and the people who live here always take plenty of time to sit down and chat together."
)

# (name, the broken text, the entry named, the line's snippet, a recognisable part of the message)
BROKEN = {
    "easy_read missing for a member-rated criterion": (
        lambda: _without_easy_read(text_2026(), "BEL.2"), "values[0].criteria[1].easy_read", "- code: BEL.2", "is missing",
    ),
    "easy_read empty": (
        lambda: edit(SMALL_FILE, SMALL_EASY_READ, 'easy_read: "  "'),
        "values[0].criteria[0].easy_read", 'easy_read: "  "', "must not be empty",
    ),
    "a sentence too long": (
        lambda: edit(SMALL_FILE, SMALL_EASY_READ, f"easy_read: {LONG_SENTENCE} Is this true for you?"),
        "values[0].criteria[0].easy_read", "easy_read:", f'the sentence "{LONG_SENTENCE}" has 18 words; keep each sentence to 15 or fewer',
    ),
    "too many sentences": (
        lambda: edit(SMALL_FILE, SMALL_EASY_READ, "easy_read: Staff are kind. You are kind. We are kind. They are kind. All are kind. Is it true?"),
        "values[0].criteria[0].easy_read", "easy_read:", "has 6 sentences; easy read asks one question in at most 5",
    ),
    "a criterion code in the text": (
        lambda: edit(SMALL_FILE, SMALL_EASY_READ, "easy_read: This is about BEL.2 here. Is this true for you?"),
        "values[0].criteria[0].easy_read", "easy_read:", "must not contain codes such as BEL.2",
    ),
    "a value-number code in the text": (
        lambda: edit(SMALL_FILE, SMALL_EASY_READ, "easy_read: We ask about V3.1 now. Is this true for you?"),
        "values[0].criteria[0].easy_read", "easy_read:", "must not contain codes such as V3.1",
    ),
    "no question to answer": (
        lambda: edit(SMALL_FILE, SMALL_EASY_READ, "easy_read: People here are kind to each other."),
        "values[0].criteria[0].easy_read", "easy_read:", "must end with the question members answer",
    ),
    "easy_read on a staff-only criterion": (
        lambda: edit(SMALL_FILE, "rated_by: both", "rated_by: staff"),
        "values[0].criteria[0].easy_read", "easy_read:", "is only for criteria members answer (rated_by: members or both)",
    ),
    "members' Partly met above Met": (
        lambda: edit(text_2026(), "partly_met_from: 50", "partly_met_from: 80"),
        "members.partly_met_from", "partly_met_from: 80", "must not be above members.met_from (80 > 75)",
    ),
    "members' minimum of 1": (
        lambda: edit(text_2026(), "  minimum: 5\n", "  minimum: 1\n"),
        "members.minimum", "minimum: 1", "must be 2 or more: a single answer shown on its own says who gave it",
    ),
    "members' share above 100": (
        lambda: edit(text_2026(), "met_from: 75", "met_from: 120"),
        "members.met_from", "met_from: 120", "must be between 0 and 100, not 120",
    ),
    "members' unknown field": (
        lambda: edit(text_2026(), "  minimum: 5\n", "  minimum: 5\n  maximum: 50\n"),
        "members.maximum", "maximum: 50", "is not a known field (known fields: met_from, minimum, partly_met_from)",
    ),
    "members as text": (
        lambda: edit(text_2026(), MEMBERS, "members: five\n"),
        "members", "members: five", "must be a set of fields (key: value), not text",
    ),
}


def _without_easy_read(text, code):
    """`text` with the easy_read of criterion `code` (a folded block) taken out."""
    start = text.index("        easy_read: >-\n", text.index(f"- code: {code}\n"))
    end = text.index("      - code:", start)
    return text[:start] + text[end:]


@pytest.fixture
def edition_2026(db):
    load(STANDARDS_2026)
    return Edition.objects.get(version="2026.1")


@pytest.mark.parametrize("name", BROKEN)
def test_load_standards_refuses_bad_easy_read_and_members_rule_naming_file_line_and_field(name, db, tmp_path):
    load(STANDARDS_2025)
    make, entry, snippet, reason = BROKEN[name]
    text = make()
    path = write(tmp_path, text)
    before = database_state()

    with pytest.raises(CommandError) as refused:
        load(path)

    line = line_of(text, snippet)
    rows = [row for row in str(refused.value).splitlines() if row.startswith(f"{path}:{line}: {entry}: ")]
    assert any(reason in row for row in rows), str(refused.value)
    assert "nothing was changed" in str(refused.value)
    assert database_state() == before


def test_easy_read_missing_names_the_criterion_line_when_the_field_is_absent(db, tmp_path):
    text = edit(SMALL_FILE, f"        {SMALL_EASY_READ}\n", "")
    path = write(tmp_path, text)

    with pytest.raises(CommandError) as refused:
        load(path)

    assert f"{path}:{line_of(text, '- code: ONE.1')}: values[0].criteria[0].easy_read: is missing" in str(refused.value)


def test_the_real_files_carry_easy_read_for_every_member_question_and_the_members_rule(db):
    load(STANDARDS_2025, STANDARDS_2026)

    for edition in Edition.objects.all():
        asked = [c for c in edition.criteria.all() if c.rated_by_members]
        assert asked and all(c.easy_read.endswith("?") for c in asked)
        assert not any(c.easy_read for c in edition.criteria.all() if not c.rated_by_members)
        assert (edition.members_minimum, edition.members_met_from, edition.members_partly_from) == (5, 75, 50)
    bel_1 = Edition.objects.get(version="2026.1").criteria.get(code="BEL.1")
    assert bel_1.easy_read.startswith(BEL_1_EASY_READ)


def test_a_used_edition_takes_new_easy_read_wording(edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    bel_1 = edition_2026.criteria.get(code="BEL.1")
    text = edit(text_2026(), BEL_1_EASY_READ, "Remember the day you came here.")

    assert "Relational Practice Standards 2026.1: updated (51 criteria)" in load(write(tmp_path, text))

    changed = edition_2026.criteria.get(code="BEL.1")
    assert changed.pk == bel_1.pk
    assert changed.easy_read.startswith("Remember the day you came here.")
    assert changed.statement == bel_1.statement


def test_a_used_edition_refuses_a_changed_members_rule(edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    content = edition_as_data(edition_2026)
    text = edit(edit(text_2026(), "met_from: 75", "met_from: 70"), BEL_1_EASY_READ, "Remember the day you came here.")

    with pytest.raises(CommandError) as refused:
        load(write(tmp_path, text))

    assert "is already used by a review cycle, so its criteria, levels, thresholds and members' rule cannot change" in str(refused.value)
    assert edition_as_data(Edition.objects.get(pk=edition_2026.pk)) == content


def test_an_unused_edition_takes_a_new_members_rule(edition_2026, tmp_path):
    text = edit(edit(text_2026(), "  minimum: 5\n", "  minimum: 8\n"), "partly_met_from: 50", "partly_met_from: 40")

    load(write(tmp_path, text))

    edition_2026.refresh_from_db()
    assert (edition_2026.members_minimum, edition_2026.members_met_from, edition_2026.members_partly_from) == (8, 75, 40)


def test_a_file_without_a_members_section_gets_the_usual_rule(db, tmp_path):
    load(write(tmp_path, SMALL_FILE))

    edition = Edition.objects.get(version="1.0")
    assert (edition.members_minimum, edition.members_met_from, edition.members_partly_from) == (5, 75, 50)


def test_edition_page_shows_how_members_are_asked_and_the_members_rule(edition_2026, personas, client_for):
    html = client_for(personas.member).get(reverse("standards:edition", args=[FRAMEWORK, "2026.1"])).content.decode()

    bel_1 = edition_2026.criteria.get(code="BEL.1")
    assert f"<strong>How members are asked:</strong> {escape(bel_1.easy_read)}</p>" in html
    assert html.count("How members are asked:") == 43  # the staff-only criteria have no members' question
    assert "shown only once at least 5 members have answered it Yes, Sometimes or No" in html
    assert "The members' view is Met when at least 75% of them said Yes, Partly met when at least 50% said Yes or Sometimes, and Not met otherwise." in html


def test_compare_page_names_changed_easy_read_wording(edition_2026, personas, client_for, tmp_path):
    text = edit(edit(text_2026(), 'version: "2026.1"', 'version: "2026.2"'), BEL_1_EASY_READ, "Remember the day you came here.")
    load(write(tmp_path, text))

    url = reverse("standards:compare", args=[FRAMEWORK]) + "?old=2026.1&new=2026.2"
    html = client_for(personas.member).get(url).content.decode()

    assert "<li><strong>BEL.1</strong>" in html
    assert "(easy-read wording changed)" in html


def test_upload_page_lists_the_easy_read_and_members_problems(db, personas, client_for):
    text = edit(text_2026(), "partly_met_from: 50", "partly_met_from: 80")
    text = edit(text, BEL_1_EASY_READ, "This is BEL.1.")
    before = database_state()

    response = client_for(personas.admin).post(
        reverse("standards:upload"), {"file": SimpleUploadedFile("standards.yaml", text.encode(), "application/yaml")}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved." in html
    line = line_of(text, "easy_read", after="- code: BEL.1")
    assert f"<li>Line {line}: <code>values[0].criteria[0].easy_read</code> must not contain codes such as BEL.1" in html
    assert (
        f"<li>Line {line_of(text, 'partly_met_from: 80')}: <code>members.partly_met_from</code> "
        "must not be above members.met_from (80 &gt; 75)</li>"
    ) in html
    assert database_state() == before
