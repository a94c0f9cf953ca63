"""Standards files crafted to crash or exhaust the reader: nested thousands of levels deep (the YAML
reader builds nested entries recursively, and such a file once ended the upload page in a
RecursionError) or repeating entries through aliases. Loaded from the page or from
`manage.py load_standards`, each is refused with a message naming its line, and nothing changes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from tests.support.standards import SMALL_FILE, STANDARDS_2025, database_state, line_of, load, write

TOO_DEEP = "is nested more than 20 levels deep; a standards file needs five (values, criteria, their fields and lists)"
ALIAS = "uses an alias (*{name}); standards files do not use anchors and aliases: write each entry out in full"


def deep_lists(depth=3000):
    """`framework: [[[…]]]`, `depth` levels deep: 6 KB for 3000 levels."""
    return f"framework: {'[' * depth}{']' * depth}\n"


def deep_mappings(depth=3000):
    return "framework: " + "{a: " * depth + "1" + "}" * depth + "\n"


def deep_blocks(depth=200):
    """Nesting written the block way, one indented line per level."""
    return "".join(f"{'  ' * level}level{level}:\n" for level in range(depth)) + f"{'  ' * depth}end: 1\n"


def deep_inside_a_valid_file():
    """The small valid file, with criterion guidance nested deep on its last line."""
    return SMALL_FILE + f"        guidance: {'[' * 3000}{']' * 3000}\n"


def laughs():
    """Nine times nine times … an entry: a few hundred bytes that would build billions of entries."""
    return "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)
    )


def aliased_criteria():
    """A valid file but for one criterion repeated through an alias."""
    text = SMALL_FILE.replace("      - code: ONE.1\n", "      - &criterion\n        code: ONE.1\n")
    return text.replace("        rated_by: both\n", "        rated_by: both\n      - *criterion\n")


def merged_levels():
    """A merge key (<<) is an alias too."""
    return SMALL_FILE.replace("  - value: 0\n", "  - &zero\n    value: 0\n").replace(
        "  - value: 1\n", "  - <<: *zero\n    value: 1\n"
    )


# (file, the line its problem must name, the problem)
CRAFTED = [
    pytest.param(deep_lists(), 1, TOO_DEEP, id="lists 3000 deep"),
    pytest.param(deep_lists(1_000_000), 1, TOO_DEEP, id="lists a million deep"),
    pytest.param("framework: " + "[" * 3000 + "\n", 1, TOO_DEEP, id="lists 3000 deep, never closed"),
    pytest.param(deep_mappings(), 1, TOO_DEEP, id="mappings 3000 deep"),
    pytest.param(deep_blocks(), 21, TOO_DEEP, id="block mappings 200 deep"),
    pytest.param(deep_inside_a_valid_file(), line_of(deep_inside_a_valid_file(), "guidance:"), TOO_DEEP,
                 id="deep inside a valid file"),
    pytest.param(laughs(), 2, ALIAS.format(name="a"), id="billion laughs"),
    pytest.param(aliased_criteria(), line_of(aliased_criteria(), "- *criterion"), ALIAS.format(name="criterion"),
                 id="criterion repeated by an alias"),
    pytest.param(merged_levels(), line_of(merged_levels(), "<<: *zero"), ALIAS.format(name="zero"),
                 id="merge key"),
]


# --- the page -----------------------------------------------------------------------------------


def upload(client, content, name="standards.yaml"):
    file = SimpleUploadedFile(name, content.encode("utf-8"), "application/yaml")
    return client.post(reverse("standards:upload"), {"file": file})


@pytest.fixture
def loaded(db):
    load(STANDARDS_2025)
    return database_state()


@pytest.mark.parametrize(("content", "line", "problem"), CRAFTED)
def test_upload_page_refuses_crafted_file_naming_its_line(personas, client_for, loaded, content, line, problem):
    response = upload(client_for(personas.admin), content)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The file has 1 problem. Nothing was saved." in html
    assert f"<li>Line {line}: {escape(problem)}</li>" in html
    assert '<input type="file" name="file"' in html  # to try another file
    assert database_state() == loaded


def test_upload_page_still_loads_a_good_file_after_refusing_a_deep_one(personas, client_for, loaded):
    client = client_for(personas.admin)
    upload(client, deep_lists())

    response = upload(client, SMALL_FILE)

    assert response.status_code == 302
    assert database_state()["editions"] != loaded["editions"]


# --- the command --------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "line", "problem"), CRAFTED)
def test_load_standards_refuses_crafted_file_naming_its_line(loaded, tmp_path, content, line, problem):
    path = write(tmp_path, content, "crafted.yaml")

    with pytest.raises(CommandError) as refused:
        load(path)

    assert str(refused.value) == f"Found 1 problem; nothing was changed.\n{path}:{line}: {problem}"
    assert database_state() == loaded


def test_load_standards_refuses_a_crafted_file_among_good_ones_and_loads_none(loaded, tmp_path):
    good = write(tmp_path, SMALL_FILE, "small.yaml")
    deep = write(tmp_path, deep_lists(), "deep.yaml")

    with pytest.raises(CommandError) as refused:
        load(good, deep)

    assert f"{deep}:1: {TOO_DEEP}" in str(refused.value)
    assert database_state() == loaded


def test_manage_py_load_standards_exits_non_zero_and_prints_the_problem(tmp_path):
    path = write(tmp_path, deep_lists(), "deep.yaml")
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(ASSURANCE_ENV="development", ASSURANCE_VAR_DIR=str(tmp_path / "var"))
    python = Path(settings.BASE_DIR) / ".venv" / "bin" / "python"

    result = subprocess.run(
        [str(python if python.exists() else sys.executable), "manage.py", "load_standards", str(path)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 1
    assert f"{path}:1: {TOO_DEEP}" in result.stderr
    assert "Found 1 problem; nothing was changed." in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
