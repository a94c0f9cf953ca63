"""`manage.py load_standards PATH...`: every file is checked before anything is written, every
problem is named (file, line, entry, reason), and a file that is already loaded changes nothing."""

from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.core.management.base import CommandError

from standards.models import Criterion, Edition, EditionStatus, RatingLevel, Value
from standards.services import edition_as_data
from tests.support.standards import (
    FRAMEWORK,
    SMALL_FILE,
    STANDARDS_2025,
    STANDARDS_2026,
    database_state,
    edit,
    line_of,
    load,
    text_2025,
    text_2026,
    write,
)

BEL_2_STATEMENT = (
    "statement: People who live and work here know each other by name and take time to chat, "
    "not only when something needs doing."
)


def _without_section(text, section, next_section):
    return text[: text.index(f"\n{section}:\n") + 1] + text[text.index(f"\n{next_section}:\n") + 1:]


def _replace_section(text, section, next_section, replacement):
    return text[: text.index(f"\n{section}:\n") + 1] + replacement + text[text.index(f"\n{next_section}:\n") + 1:]


@dataclass
class Broken:
    """A broken standards file and the problem it must be reported with."""

    content: object  # text or bytes
    entry: str  # e.g. "values[0].criteria[1].tier"; "" for problems with the whole file
    reason: str  # a recognisable part of the plain-English message
    line: tuple | None = None  # (snippet, after) locating the line the message must name

    def expected_line(self):
        if self.line is None:
            return None
        snippet, after = self.line
        return line_of(self.content, snippet, after)


def _broken_files():
    """Every kind of broken file, each with the message it must give. It is long because it is a
    table: one entry per kind."""
    base = text_2026()
    small = SMALL_FILE
    cases = {
        "invalid YAML syntax": Broken(
            edit(base, "    name: Belonging\n", "    name: Belonging: the heart\n"),
            "", "is not valid YAML, column 20: mapping values are not allowed here",
            ("name: Belonging: the heart", None),
        ),
        "tab character": Broken(
            edit(base, "  - code: BOU\n", "  - code: BOU\n\tname: Boundaries\n"),
            "", "is not valid YAML, column 1: found character '\\t' that cannot start any token",
            ("\tname: Boundaries", None),
        ),
        "unsafe YAML tag": Broken(
            edit(small, "  name: Small Standards\n", '  name: !!python/object/apply:os.system ["echo hi"]\n'),
            "", "is not valid YAML", ("!!python/object/apply", None),
        ),
        "empty file": Broken("", "", "is empty"),
        "only comments": Broken("# The 2027 edition will go here.\n", "", "is empty"),
        "top level is a list": Broken(
            "- framework\n- edition\n- values\n", "",
            "must contain a set of sections (edition, framework, levels, members, rag, thresholds, values), not a list",
        ),
        "top level is text": Broken("Relational Practice Standards\n", "", "must contain a set of sections"),
        "missing section": Broken(_without_section(base, "levels", "thresholds"), "levels", "is missing", ("framework:", None)),
        "unknown section": Broken(
            edit(base, "\nrag:\n", "\nrags:\n"), "rags",
            "is not a known section (known sections: edition, framework, levels, members, rag, thresholds, values)",
            ("rags:", None),
        ),
        "unknown field (typo)": Broken(
            edit(base, "statement:", "statment:", after="- code: BEL.2"), "values[0].criteria[1].statment",
            "is not a known field (known fields: code, easy_read, evidence_examples, guidance, rated_by, statement, tier)",
            ("statment:", None),
        ),
        "missing required field": Broken(
            edit(base, "        rated_by: members\n", "", after="- code: BEL.1"), "values[0].criteria[0].rated_by",
            "is missing", ("- code: BEL.1", None),
        ),
        "wrong type (text for a number)": Broken(
            edit(base, "tier_2: 80", "tier_2: eighty"), "thresholds.tier_2", "must be a whole number, not 'eighty'",
            ("tier_2: eighty", None),
        ),
        "wrong type (text for a list)": Broken(
            _replace_section(base, "levels", "thresholds", "levels: Not met, Partly met, Met\n"), "levels",
            "must be a list, not text", ("levels: Not met", None),
        ),
        "wrong type (text for examples)": Broken(
            edit(small, "        tier: 1\n", "        evidence_examples: Minutes of meetings\n        tier: 1\n"),
            "values[0].criteria[0].evidence_examples", "must be a list of short texts, not text",
            ("evidence_examples:", None),
        ),
        "empty required statement": Broken(
            edit(base, BEL_2_STATEMENT, 'statement: "  "'), "values[0].criteria[1].statement", "must not be empty",
            ('statement: "  "', None),
        ),
        "criterion code with a space": Broken(
            edit(base, "code: BEL.2", "code: BEL 2"), "values[0].criteria[1].code",
            "'BEL 2' is not valid: use letters, digits and dots", ("code: BEL 2", None),
        ),
        "duplicate criterion code": Broken(
            edit(base, "code: BEL.2", "code: BEL.1"), "values[0].criteria[1].code",
            "the code BEL.1 is already used by values[0].criteria[0]", ("code: BEL.1", "- code: BEL.1\n"),
        ),
        "duplicate value code": Broken(
            edit(base, "  - code: BOU\n", "  - code: BEL\n"), "values[1].code",
            "the code BEL is already used by values[0]", ("- code: BEL\n", "name: Belonging"),
        ),
        "unknown tier": Broken(
            edit(base, "tier: 2", "tier: 4", after="- code: BEL.2"), "values[0].criteria[1].tier",
            "must be one of 1, 2, 3, not 4", ("tier: 4", None),
        ),
        "tier written as true": Broken(
            edit(base, "tier: 2", "tier: true", after="- code: BEL.2"), "values[0].criteria[1].tier",
            "must be one of 1, 2, 3, not True", ("tier: true", None),
        ),
        "unknown rated_by": Broken(
            edit(base, "rated_by: both", "rated_by: everyone", after="- code: BEL.2"), "values[0].criteria[1].rated_by",
            "must be one of staff, members, both, not 'everyone'", ("rated_by: everyone", None),
        ),
        "unknown status": Broken(
            edit(base, "status: published", "status: live"), "edition.status",
            "must be one of draft, published, retired, not 'live'", ("status: live", None),
        ),
        "levels not in ascending order": Broken(
            edit(base, "  - value: 1\n", "  - value: 3\n"), "levels[2].value",
            "levels must be listed from lowest to highest value with no repeats (2 follows 3)", ("- value: 2", None),
        ),
        "repeated level value": Broken(
            edit(base, "  - value: 1\n", "  - value: 0\n"), "levels[1].value",
            "levels must be listed from lowest to highest value with no repeats (0 follows 0)",
            ("- value: 0", "label: Not met"),
        ),
        "duplicate level label": Broken(
            edit(base, "    label: Met\n", "    label: partly met\n"), "levels[2].label",
            "the label 'partly met' is used twice", ("label: partly met", None),
        ),
        "Not applicable as a level": Broken(
            edit(base, "\nthresholds:\n", "\n  - value: 3\n    label: Not applicable\nthresholds:\n"), "levels[3].label",
            "Not applicable is not a level", ("label: Not applicable", None),
        ),
        "threshold 120": Broken(
            edit(base, "tier_1: 100", "tier_1: 120"), "thresholds.tier_1", "must be between 0 and 100, not 120",
            ("tier_1: 120", None),
        ),
        "negative RAG cut-off": Broken(
            edit(base, "amber: 50", "amber: -5"), "rag.amber", "must be between 0 and 100, not -5", ("amber: -5", None),
        ),
        "amber above green": Broken(
            edit(base, "amber: 50", "amber: 90"), "rag.amber", "must not be above rag.green (90 > 80)",
            ("amber: 90", None),
        ),
        "duplicate YAML key": Broken(
            edit(base, "        tier: 2\n", "        tier: 2\n        tier: 3\n", after="- code: BEL.2"),
            "values[0].criteria[1].tier", "appears twice in the same place; keep one", ("tier: 3", "- code: BEL.2"),
        ),
        "unquoted float version": Broken(
            edit(base, 'version: "2026.1"', "version: 2026.10"), "edition.version",
            'write it in quotes, e.g. "2026.10", so that it is read as text', ("version: 2026.10", None),
        ),
        "version with a slash": Broken(
            edit(base, 'version: "2026.1"', 'version: "2026/1"'), "edition.version",
            "'2026/1' is not valid: use letters, digits, dots and hyphens", ("version:", None),
        ),
        "framework slug with capitals": Broken(
            edit(small, "slug: small-standards", "slug: Small Standards"), "framework.slug",
            "'Small Standards' is not valid: use lower-case letters, digits and hyphens", ("slug:", None),
        ),
        "non-UTF-8 bytes": Broken(
            base.encode("utf-8").replace(b"name: Belonging\n", b"name: B\xe9longing\n", 1), "", "is not UTF-8 text (byte",
        ),
        "value with no criteria": Broken(
            small[: small.index("    criteria:\n")] + "    criteria: []\n", "values[0].criteria",
            "must have at least 1 entry", ("criteria: []", None),
        ),
    }
    return [pytest.param(broken, id=kind) for kind, broken in cases.items()]


@pytest.fixture
def earlier_edition_loaded(db):
    """Another edition is in the database, so that 'nothing changed' means something."""
    load(STANDARDS_2025)
    return Edition.objects.get(version="2025.1")


def test_the_real_standards_files_load(db):
    output = load(STANDARDS_2025, STANDARDS_2026)

    assert "Relational Practice Standards 2025.1: created (47 criteria)" in output
    assert "Relational Practice Standards 2026.1: created (51 criteria)" in output
    edition = Edition.objects.get(framework__slug=FRAMEWORK, version="2026.1")
    assert edition.status == EditionStatus.PUBLISHED
    assert list(edition.values.order_by("order").values_list("code", flat=True)) == [
        "BEL", "BOU", "COM", "DEV", "INV", "SAF", "STR", "EMP", "LEA", "OPE",
    ]
    assert list(edition.levels.values_list("value", "label")) == [(0, "Not met"), (1, "Partly met"), (2, "Met")]
    assert edition.tier_thresholds() == {1: 100, 2: 80, 3: 60}
    assert (edition.rag_green_from, edition.rag_amber_from) == (80, 50)
    bel_1 = edition.criteria.get(code="BEL.1")
    assert bel_1.statement.startswith("Everyone who arrives here is met warmly")
    assert bel_1.evidence_examples[0] == "Welcome booklet written by residents"
    assert (bel_1.tier, bel_1.rated_by) == (2, "members")


def test_the_small_file_used_for_broken_files_is_valid(db, tmp_path):
    assert "Small Standards 1.0: created (1 criteria)" in load(write(tmp_path, SMALL_FILE))


@pytest.mark.parametrize("broken", _broken_files())
def test_load_standards_broken_file_is_refused_and_named(broken, earlier_edition_loaded, tmp_path):
    path = write(tmp_path, broken.content, "broken-standards.yaml")
    before = database_state()

    with pytest.raises(CommandError) as refused:
        load(path)

    message = str(refused.value)
    line = broken.expected_line()
    prefix = f"{path}:{line}: " if line else f"{path}: "
    if broken.entry:
        prefix += f"{broken.entry}: "
    named = [row for row in message.splitlines() if row.startswith(prefix)]
    assert named, f"no problem starting {prefix!r} in:\n{message}"
    assert any(broken.reason in row for row in named), message
    assert "nothing was changed" in message
    assert database_state() == before


def test_load_standards_reports_every_problem_in_a_file(earlier_edition_loaded, tmp_path):
    text = edit(text_2026(), "tier: 2", "tier: 4", after="- code: BEL.2")
    text = edit(text, "tier_1: 100", "tier_1: 120")
    text = edit(text, "code: COM.2", "code: COM.1")
    text = edit(text, "statement:", "statment:", after="- code: LEA.3")
    path = write(tmp_path, text)
    before = database_state()

    with pytest.raises(CommandError) as refused:
        load(path)

    message = str(refused.value)
    assert message.startswith("Found 5 problems; nothing was changed.")
    assert f"{path}:{line_of(text, 'tier_1: 120')}: thresholds.tier_1: must be between 0 and 100, not 120" in message
    assert f"{path}:{line_of(text, 'tier: 4')}: values[0].criteria[1].tier: must be one of 1, 2, 3, not 4" in message
    assert "values[2].criteria[1].code: the code COM.1 is already used by values[2].criteria[0]" in message
    assert "values[8].criteria[2].statment: is not a known field" in message
    assert "values[8].criteria[2].statement: is missing" in message
    assert database_state() == before


def test_load_standards_broken_file_leaves_its_loaded_edition_as_it_was(earlier_edition_loaded, tmp_path):
    original = edition_as_data(earlier_edition_loaded)
    text = edit(text_2025(), "status: retired", "status: published")
    text = edit(text, "tier: 2", "tier: 5", after="- code: BEL.2")
    before = database_state()

    with pytest.raises(CommandError, match=r"values\[0\]\.criteria\[1\]\.tier: must be one of 1, 2, 3, not 5"):
        load(write(tmp_path, text))

    assert database_state() == before
    assert edition_as_data(Edition.objects.get(version="2025.1")) == original


@pytest.mark.parametrize("broken_first", [True, False], ids=["broken file first", "broken file second"])
def test_load_standards_one_broken_file_of_two_loads_neither(broken_first, db, tmp_path):
    broken = write(tmp_path, edit(text_2025(), "rated_by: both", "rated_by: all", after="- code: BEL.2"), "2025.yaml")
    paths = [broken, STANDARDS_2026] if broken_first else [STANDARDS_2026, broken]

    with pytest.raises(CommandError) as refused:
        load(*paths)

    message = str(refused.value)
    assert message.startswith("Found 1 problem; nothing was changed.")
    assert f"{broken}:" in message and "values[0].criteria[1].rated_by: must be one of staff, members, both" in message
    assert str(STANDARDS_2026) not in message
    assert not Edition.objects.exists()
    assert not Criterion.objects.exists()
    assert not LogEntry.objects.exists()


def test_load_standards_problems_in_two_files_are_all_reported(earlier_edition_loaded, tmp_path):
    first = write(tmp_path, edit(text_2026(), "amber: 50", "amber: 95"), "first.yaml")
    second = write(tmp_path, "", "second.yaml")
    before = database_state()

    with pytest.raises(CommandError) as refused:
        load(first, second)

    message = str(refused.value)
    assert message.startswith("Found 2 problems; nothing was changed.")
    assert "rag.amber: must not be above rag.green (95 > 80)" in message
    assert f"{second}: is empty" in message
    assert database_state() == before


def test_load_standards_missing_file_is_named(earlier_edition_loaded, tmp_path):
    missing = tmp_path / "no-such-standards.yaml"
    before = database_state()

    with pytest.raises(CommandError, match=f"{missing}: no such file"):
        load(STANDARDS_2026, missing)

    assert database_state() == before


def test_load_standards_same_edition_in_two_files_is_refused(earlier_edition_loaded, tmp_path):
    copy = write(tmp_path, text_2026(), "copy-of-2026.yaml")
    before = database_state()

    with pytest.raises(CommandError) as refused:
        load(STANDARDS_2026, copy)

    assert f"{copy}: edition.version: edition 2026.1 is also defined in {STANDARDS_2026}" in str(refused.value)
    assert database_state() == before


def test_load_standards_same_file_again_changes_nothing(db):
    load(STANDARDS_2025, STANDARDS_2026)
    before = database_state()
    ids = {
        "values": set(Value.objects.values_list("pk", flat=True)),
        "criteria": set(Criterion.objects.values_list("pk", flat=True)),
        "levels": set(RatingLevel.objects.values_list("pk", flat=True)),
    }

    output = load(STANDARDS_2025, STANDARDS_2026)

    assert "Relational Practice Standards 2025.1: unchanged (47 criteria)" in output
    assert "Relational Practice Standards 2026.1: unchanged (51 criteria)" in output
    assert database_state() == before  # same rows, same ids, same loaded_at, no new audit entries
    assert ids == {
        "values": set(Value.objects.values_list("pk", flat=True)),
        "criteria": set(Criterion.objects.values_list("pk", flat=True)),
        "levels": set(RatingLevel.objects.values_list("pk", flat=True)),
    }


def test_load_standards_records_each_new_row_in_the_audit_log(db):
    load(STANDARDS_2026)

    # 1 framework + 1 edition + 3 levels + 10 values + 51 criteria
    assert LogEntry.objects.filter(action=LogEntry.Action.CREATE).count() == 66
    assert LogEntry.objects.count() == 66
