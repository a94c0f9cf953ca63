"""Reading and writing standards files without the database: the checked data, how problems read,
and the YAML that export writes."""

import pytest

from standards.files import (
    MAX_FILE_BYTES,
    Problem,
    StandardsFileError,
    dump_standards,
    read_standards_bytes,
    read_standards_file,
    read_standards_text,
)
from tests.support.standards import SMALL_FILE, STANDARDS_2025, STANDARDS_2026, edit, text_2026


def _problems(text):
    with pytest.raises(StandardsFileError) as refused:
        read_standards_text(text, "standards.yaml")
    return [str(problem) for problem in refused.value.problems]


def test_read_standards_file_real_files_are_valid():
    old, new = read_standards_file(STANDARDS_2025), read_standards_file(STANDARDS_2026)

    assert (old.framework_slug, old.version, old.criteria_count()) == ("relational-practice-standards", "2025.1", 47)
    assert (new.framework_slug, new.version, new.criteria_count()) == ("relational-practice-standards", "2026.1", 51)
    assert new.source == str(STANDARDS_2026)


def test_read_standards_text_fills_in_optional_parts():
    data = read_standards_text(SMALL_FILE, "small.yaml").data

    assert data["framework"]["description"] == ""
    assert data["edition"]["notes"] == ""
    assert data["levels"][0] == {"value": 0, "label": "Not met", "description": ""}
    assert data["thresholds"] == {"tier_1": 100, "tier_2": 80, "tier_3": 60}
    assert data["rag"] == {"green": 80, "amber": 50}
    assert data["values"][0]["summary"] == ""
    assert data["values"][0]["criteria"][0]["guidance"] == ""
    assert data["values"][0]["criteria"][0]["evidence_examples"] == []


def test_read_standards_text_trims_text_and_accepts_a_whole_number_version():
    text = edit(SMALL_FILE, 'version: "1.0"', "version: 2027")
    text = edit(text, "statement: People are kind to each other.", "statement: '  People are kind to each other.  '")

    data = read_standards_text(text, "small.yaml").data

    assert data["edition"]["version"] == "2027"
    assert data["values"][0]["criteria"][0]["statement"] == "People are kind to each other."


def test_read_standards_text_missing_fields_are_each_named():
    problems = _problems("framework:\n  name: Small\nedition:\n  status: draft\nlevels:\n  - value: 0\n    label: Met\nvalues:\n  - name: One\n")

    assert problems == [
        "standards.yaml:2: framework.slug: is missing",
        "standards.yaml:4: edition.version: is missing",
        "standards.yaml:5: levels: must have at least 2 entries",
        "standards.yaml:9: values[0].code: is missing",
        "standards.yaml:9: values[0].criteria: is missing",
    ]


def test_read_standards_text_too_long_text_is_refused():
    problems = _problems(edit(SMALL_FILE, "label: Met", "label: " + "M" * 51))

    assert problems == ["standards.yaml:11: levels[1].label: is too long (51 characters; at most 50)"]


def test_read_standards_text_refuses_aliases_with_their_line():
    text = SMALL_FILE.replace("levels:\n", "levels: &levels\n") + "rag: *levels\n"

    assert _problems(text) == [
        "standards.yaml:21: uses an alias (*levels); standards files do not use anchors and aliases: "
        "write each entry out in full"
    ]


def test_read_standards_text_refuses_billions_of_repeats_at_once():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)
    )

    [problem] = _problems(laughs)

    assert problem.startswith("standards.yaml:2: uses an alias (*a)")


@pytest.mark.parametrize("nesting", ["[" * 3000 + "]" * 3000, "[" * 3000, "{a: " * 3000 + "1" + "}" * 3000])
def test_read_standards_text_refuses_deep_nesting_with_a_message_not_a_crash(nesting):
    assert _problems(f"framework: {nesting}\n") == [
        "standards.yaml:1: is nested more than 20 levels deep; a standards file needs five (values, criteria, "
        "their fields and lists)"
    ]


def test_read_standards_bytes_too_large_file_is_refused_before_reading():
    with pytest.raises(StandardsFileError, match=r"upload\.yaml: is too large \(2048 KB; at most 2048 KB\)"):
        read_standards_bytes(b" " * (MAX_FILE_BYTES + 1), "upload.yaml")


def test_problem_reads_as_file_line_entry_message():
    assert str(Problem("a.yaml", 12, "values[0].code", "is missing")) == "a.yaml:12: values[0].code: is missing"
    assert str(Problem("a.yaml", None, "", "is empty")) == "a.yaml: is empty"


def test_dump_standards_writes_block_yaml_in_file_order():
    data = read_standards_text(text_2026(), "2026.yaml").data

    text = dump_standards(data)

    assert text.startswith("framework:\n  slug: relational-practice-standards\n")
    assert [line for line in text.splitlines() if line and not line.startswith(" ")] == [
        "framework:", "edition:", "levels:", "thresholds:", "rag:", "members:", "values:",
    ]
    assert "&id" not in text and "*id" not in text  # no anchors or aliases
    assert read_standards_text(text, "again.yaml").data == data


def test_dump_standards_keeps_line_breaks_readable():
    data = read_standards_text(SMALL_FILE, "small.yaml").data
    data["values"][0]["criteria"][0]["guidance"] = "First paragraph.\n\nSecond paragraph."

    text = dump_standards(data)

    assert "guidance: |-\n          First paragraph.\n\n          Second paragraph.\n" in text
    assert read_standards_text(text, "again.yaml").data == data
