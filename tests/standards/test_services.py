"""Loading a file over an edition that is already loaded: an edition a review cycle uses keeps its
content (only its status and notes may change); an unused one is updated in place, by code."""

import pytest
from auditlog.models import LogEntry
from django.core.management.base import CommandError

from standards.files import read_standards_text
from standards.models import Criterion, Edition, EditionStatus, RatingLevel, Value
from standards.services import EditionInUse, edition_as_data, load_standards
from tests.factories import CycleFactory
from tests.support.standards import STANDARDS_2026, database_state, edit, load, text_2026, write

NEW_CRITERION = """\
      - code: BEL.9
        statement: People can bring something of their own life here, such as photos, music or food.
        tier: 3
        rated_by: members
        easy_read: You can bring things from your own life here, like photos, music or food. Is this true for you?
"""

# Content changes: each would alter what services are rated against.
CONTENT_CHANGES = {
    "criterion reworded": lambda text: edit(text, "statement: Everyone who arrives", "statement: Each person who arrives"),
    "criterion added": lambda text: edit(text, "  - code: BOU\n", NEW_CRITERION + "  - code: BOU\n"),
    "criterion removed": lambda text: text[: text.index("      - code: BEL.5\n")] + text[text.index("  - code: BOU\n"):],
    "tier changed": lambda text: edit(text, "tier: 2", "tier: 1", after="- code: BEL.1"),
    "rated_by changed": lambda text: edit(text, "rated_by: members", "rated_by: both", after="- code: BEL.1"),
    "guidance changed": lambda text: edit(text, "New arrivals are greeted", "Newcomers are greeted"),
    "evidence example changed": lambda text: edit(text, "Welcome booklet written by residents", "Welcome pack"),
    "value renamed": lambda text: edit(text, "name: Belonging", "name: Belonging and welcome"),
    "level relabelled": lambda text: edit(text, "label: Partly met", "label: Part met"),
    "threshold changed": lambda text: edit(text, "tier_2: 80", "tier_2: 75"),
    "RAG cut-off changed": lambda text: edit(text, "green: 80", "green: 85"),
    "members' minimum changed": lambda text: edit(text, "  minimum: 5\n", "  minimum: 10\n"),
    "members' Met share changed": lambda text: edit(text, "met_from: 75", "met_from: 80"),
}


@pytest.fixture
def edition_2026(db):
    load(STANDARDS_2026)
    return Edition.objects.get(version="2026.1")


@pytest.mark.parametrize("change", CONTENT_CHANGES.values(), ids=CONTENT_CHANGES.keys())
def test_load_standards_changing_a_used_edition_is_refused(change, edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    path = write(tmp_path, change(text_2026()))
    content = edition_as_data(edition_2026)
    before = database_state()

    with pytest.raises(CommandError) as refused:
        load(path)

    message = str(refused.value)
    assert f"{path}: Relational Practice Standards 2026.1 is already used by a review cycle" in message
    assert "Publish a new version instead" in message
    assert "for example 2026.2" in message
    assert "Nothing was changed." in message
    assert database_state() == before
    assert edition_as_data(Edition.objects.get(pk=edition_2026.pk)) == content


def test_load_standards_used_edition_refusal_undoes_the_other_files(edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    new_edition = write(tmp_path, edit(text_2026(), 'version: "2026.1"', 'version: "2026.2"'), "2026.2.yaml")
    changed = write(tmp_path, CONTENT_CHANGES["criterion reworded"](text_2026()), "2026.1.yaml")
    before = database_state()

    with pytest.raises(CommandError, match="already used by a review cycle"):
        load(new_edition, changed)

    assert database_state() == before
    assert not Edition.objects.filter(version="2026.2").exists()


def test_load_standards_new_version_of_a_used_edition_is_a_new_edition(edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    text = CONTENT_CHANGES["criterion reworded"](edit(text_2026(), 'version: "2026.1"', 'version: "2026.2"'))

    output = load(write(tmp_path, text))

    assert "Relational Practice Standards 2026.2: created (51 criteria)" in output
    assert edition_2026.criteria.get(code="BEL.1").statement.startswith("Everyone who arrives")
    assert Edition.objects.get(version="2026.2").criteria.get(code="BEL.1").statement.startswith("Each person who arrives")


@pytest.mark.parametrize("status", [EditionStatus.RETIRED])
def test_load_standards_status_of_a_used_edition_may_change(status, edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    criteria = set(edition_2026.criteria.values_list("pk", "code", "statement"))
    path = write(tmp_path, edit(text_2026(), "status: published", f"status: {status}"))

    output = load(path)

    assert "Relational Practice Standards 2026.1: updated (51 criteria)" in output
    edition_2026.refresh_from_db()
    assert edition_2026.status == status
    assert set(edition_2026.criteria.values_list("pk", "code", "statement")) == criteria
    change = LogEntry.objects.get_for_object(edition_2026).filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict == {"status": ["published", status]}


def test_load_standards_a_used_edition_cannot_go_back_to_draft(edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    path = write(tmp_path, edit(text_2026(), "status: published", "status: draft"))

    with pytest.raises(CommandError, match="cannot go back to being a draft"):
        load(path)

    edition_2026.refresh_from_db()
    assert edition_2026.status == EditionStatus.PUBLISHED


def test_load_standards_notes_and_framework_description_of_a_used_edition_may_change(edition_2026, tmp_path):
    CycleFactory(edition=edition_2026)
    text = edit(text_2026(), "The first full edition of", "The first complete edition of")
    text = edit(text, "The Relational Practice Standards describe", "These standards describe")

    assert "updated" in load(write(tmp_path, text))

    edition_2026.refresh_from_db()
    assert edition_2026.notes.startswith("The first complete edition of")
    assert edition_2026.framework.description.startswith("These standards describe")


def test_load_standards_unused_edition_is_updated_in_place_by_code(edition_2026, tmp_path):
    ids = dict(edition_2026.criteria.values_list("code", "pk"))
    value_ids = dict(edition_2026.values.values_list("code", "pk"))
    text = text_2026()
    text = edit(text, "  - code: BOU\n", NEW_CRITERION + "  - code: BOU\n")  # BEL.9 added
    text = text[: text.index("      - code: BOU.5\n")] + text[text.index("  - code: COM\n"):]  # BOU.5 removed
    text = edit(text, "statement: Everyone who arrives", "statement: Each person who arrives")  # BEL.1 reworded
    text = edit(text, "tier: 2", "tier: 1", after="- code: COM.2")

    output = load(write(tmp_path, text))

    assert "Relational Practice Standards 2026.1: updated (51 criteria)" in output
    now = dict(Criterion.objects.filter(edition=edition_2026).values_list("code", "pk"))
    assert set(now) == set(ids) - {"BOU.5"} | {"BEL.9"}
    assert {code: pk for code, pk in now.items() if code != "BEL.9"} == {c: p for c, p in ids.items() if c != "BOU.5"}
    bel_1 = Criterion.objects.get(pk=ids["BEL.1"])
    assert bel_1.statement.startswith("Each person who arrives")
    assert Criterion.objects.get(pk=ids["COM.2"]).tier == 1
    bel_9 = Criterion.objects.get(edition=edition_2026, code="BEL.9")
    assert (bel_9.value.code, bel_9.order, bel_9.tier, bel_9.rated_by) == ("BEL", 6, 3, "members")
    assert dict(edition_2026.values.values_list("code", "pk")) == value_ids
    assert edition_as_data(edition_2026) == read_standards_text(text, "edited").data


def test_load_standards_unused_edition_criterion_moves_to_another_value(edition_2026, tmp_path):
    bel_5 = edition_2026.criteria.get(code="BEL.5")
    block = text_2026()[text_2026().index("      - code: BEL.5\n"): text_2026().index("  - code: BOU\n")]
    text = text_2026().replace(block, "", 1)
    text = edit(text, "  - code: COM\n", block + "  - code: COM\n")

    load(write(tmp_path, text))

    bel_5.refresh_from_db()
    assert bel_5.value.code == "BOU"
    assert list(bel_5.value.criteria.order_by("order").values_list("code", flat=True))[-1] == "BEL.5"


def test_load_standards_unused_edition_levels_and_values_are_replaced(edition_2026, tmp_path):
    text = edit(text_2026(), "label: Partly met", "label: Part met")
    text = text[: text.index("  - code: OPE\n")]  # OPE removed, with its criteria

    load(write(tmp_path, text))

    assert list(edition_2026.levels.values_list("label", flat=True)) == ["Not met", "Part met", "Met"]
    assert not edition_2026.values.filter(code="OPE").exists()
    assert not edition_2026.criteria.filter(code__startswith="OPE.").exists()
    assert RatingLevel.objects.filter(edition=edition_2026).count() == 3
    assert Value.objects.filter(edition=edition_2026).count() == 9


def test_load_standards_service_refuses_used_edition_with_edition_in_use(edition_2026):
    CycleFactory(edition=edition_2026)
    spec = read_standards_text(CONTENT_CHANGES["threshold changed"](text_2026()), "changed.yaml")

    with pytest.raises(EditionInUse, match="Publish a new version instead"):
        load_standards([spec])

    edition_2026.refresh_from_db()
    assert edition_2026.tier_2_threshold == 80
