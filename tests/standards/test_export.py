"""`manage.py export_standards FRAMEWORK VERSION -o FILE` writes the format load_standards reads:
load → export → load gives the same edition, and exporting it again gives the same bytes."""

import pytest
import yaml
from django.core.management.base import CommandError

from standards.files import read_standards_file
from standards.models import Edition, Framework
from standards.services import edition_as_data
from tests.factories import build_edition
from tests.support.standards import FRAMEWORK, STANDARDS_2025, STANDARDS_2026, export, load, write

# Text that YAML would read as something else unless it is written carefully.
AWKWARD = {
    "framework": {"slug": "awkward-standards", "name": "yes", "description": "Line one.\n\nLine three, after a gap."},
    "edition": {"version": "2026.10", "status": "draft", "notes": "null"},
    "levels": [
        {"value": 0, "label": "No", "description": "off"},
        {"value": 5, "label": "On", "description": "# not a comment"},
        {"value": 10, "label": "1.0", "description": ""},
    ],
    "thresholds": {"tier_1": 0, "tier_2": 100, "tier_3": 55},
    "rag": {"green": 70, "amber": 70},
    "members": {"minimum": 7, "met_from": 90, "partly_met_from": 90},
    "values": [
        {
            "code": "NO",
            "name": "Norway: a value with a colon",
            "summary": "Café – naïve “quotes” and 'apostrophes' and \"double quotes\"",
            "criteria": [
                {
                    "code": "1.5",
                    "statement": "- starts with a dash",
                    "guidance": "First line\n  indented line\nlast line",
                    "evidence_examples": ["true", "123", "~", "a: b", "[not a list]"],
                    "tier": 3,
                    "rated_by": "staff",
                    "easy_read": "",
                },
                {
                    "code": "NO.2",
                    "statement": "x" * 1000,
                    "guidance": "",
                    "evidence_examples": [],
                    "tier": 1,
                    "rated_by": "members",
                    "easy_read": "# Not a comment: you feel “safe” here.\nYes: day and night. Is this true for you?",
                },
            ],
        }
    ],
}


def _forget_everything():
    for edition in Edition.objects.all():
        edition.delete()
    Framework.objects.all().delete()


@pytest.mark.parametrize("source", [STANDARDS_2025, STANDARDS_2026], ids=["2025.1", "2026.1"])
def test_export_standards_load_export_load_gives_the_same_edition(source, db, tmp_path):
    load(source)
    spec = read_standards_file(source)
    loaded = edition_as_data(Edition.objects.get(version=spec.version))
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"

    output = export(FRAMEWORK, spec.version, first)
    _forget_everything()
    assert "created" in load(first)
    export(FRAMEWORK, spec.version, second)

    assert output == f"Wrote Relational Practice Standards {spec.version} to {first}\n"
    assert loaded == spec.data
    assert edition_as_data(Edition.objects.get(version=spec.version)) == loaded
    assert read_standards_file(first).data == spec.data
    assert second.read_bytes() == first.read_bytes()


def test_export_standards_exported_file_loads_over_its_edition_unchanged(db, tmp_path):
    load(STANDARDS_2026)
    path = tmp_path / "exported.yaml"
    export(FRAMEWORK, "2026.1", path)

    assert "Relational Practice Standards 2026.1: unchanged (51 criteria)" in load(path)


def test_export_standards_awkward_text_survives_the_round_trip(db, tmp_path):
    source = write(tmp_path, yaml.safe_dump(AWKWARD, sort_keys=False, allow_unicode=True), "awkward.yaml")
    load(source)
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"

    export("awkward-standards", "2026.10", first)
    _forget_everything()
    load(first)
    export("awkward-standards", "2026.10", second)

    assert edition_as_data(Edition.objects.get(version="2026.10")) == AWKWARD
    assert second.read_bytes() == first.read_bytes()
    assert "version: '2026.10'" in first.read_text(encoding="utf-8")
    assert "Café – naïve “quotes”" in first.read_text(encoding="utf-8")  # readable, not escaped


def test_export_standards_keeps_the_easy_read_wording_and_the_members_rule(db, tmp_path):
    load(STANDARDS_2026)
    path = tmp_path / "exported.yaml"
    export(FRAMEWORK, "2026.1", path)
    exported = yaml.safe_load(path.read_text(encoding="utf-8"))
    criteria = {c["code"]: c for value in exported["values"] for c in value["criteria"]}

    assert exported["members"] == {"minimum": 5, "met_from": 75, "partly_met_from": 50}
    assert criteria["BEL.1"]["easy_read"].startswith("Think about your first day here.")
    assert criteria["BEL.1"]["easy_read"].endswith("Is this true for you?")
    assert all(c["easy_read"] for c in criteria.values() if c["rated_by"] != "staff")
    assert not any(c["easy_read"] for c in criteria.values() if c["rated_by"] == "staff")


def test_export_standards_factory_edition_round_trips(db, tmp_path):
    edition = build_edition(values=3, criteria_per_value=4, version="3.1")
    data = edition_as_data(edition)
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"

    export("test-standards", "3.1", first)
    _forget_everything()
    load(first)
    export("test-standards", "3.1", second)

    assert edition_as_data(Edition.objects.get(version="3.1")) == data
    assert second.read_bytes() == first.read_bytes()


def test_export_standards_without_output_writes_to_standard_output(db, tmp_path):
    load(STANDARDS_2026)
    path = tmp_path / "exported.yaml"
    export(FRAMEWORK, "2026.1", path)

    assert export(FRAMEWORK, "2026.1") == path.read_text(encoding="utf-8")


def test_export_standards_unknown_edition_is_a_clear_error(db, tmp_path):
    load(STANDARDS_2025, STANDARDS_2026)
    path = tmp_path / "exported.yaml"

    with pytest.raises(CommandError) as refused:
        export(FRAMEWORK, "2027.1", path)

    message = str(refused.value)
    assert f"No edition 2027.1 of framework '{FRAMEWORK}'." in message
    assert f"Known editions: {FRAMEWORK} 2026.1, {FRAMEWORK} 2025.1." in message
    assert not path.exists()


def test_export_standards_unknown_framework_with_nothing_loaded(db):
    with pytest.raises(CommandError, match=r"No edition 1\.0 of framework 'no-such-standards'\. Known editions: none\."):
        export("no-such-standards", "1.0")
