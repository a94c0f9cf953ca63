"""Helpers shared by the standards tests: the real standards files, text edits on them, and a
snapshot of everything that loading a file could change."""

from io import StringIO
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import call_command

from standards.models import Criterion, Edition, Framework, RatingLevel, Value

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "standards"
STANDARDS_2025 = FIXTURES / "relational-practice-standards-2025.yaml"
STANDARDS_2026 = FIXTURES / "relational-practice-standards-2026.yaml"
FRAMEWORK = "relational-practice-standards"

# A small file that is valid: the base for broken files that need little around them.
SMALL_FILE = """\
framework:
  slug: small-standards
  name: Small Standards
edition:
  version: "1.0"
  status: draft
levels:
  - value: 0
    label: Not met
  - value: 1
    label: Met
values:
  - code: ONE
    name: First value
    criteria:
      - code: ONE.1
        statement: People are kind to each other.
        tier: 1
        rated_by: both
        easy_read: People here are kind to each other. Is this true for you?
"""


def text_2026():
    return STANDARDS_2026.read_text(encoding="utf-8")


def text_2025():
    return STANDARDS_2025.read_text(encoding="utf-8")


def edit(text, old, new, after=None):
    """`text` with the first `old` after the line holding `after` (or anywhere) replaced by `new`."""
    start = text.index(after) + len(after) if after else 0
    position = text.index(old, start)
    return text[:position] + new + text[position + len(old):]


def line_of(text, snippet, after=None):
    """The 1-based line number of the first `snippet` after `after`."""
    start = text.index(after) + len(after) if after else 0
    return text.count("\n", 0, text.index(snippet, start)) + 1


def write(tmp_path, content, name="standards.yaml"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load(*paths):
    """Runs `load_standards` and returns what it printed."""
    out = StringIO()
    call_command("load_standards", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def export(framework, version, path=None):
    out = StringIO()
    args = ["export_standards", framework, version]
    if path:
        args += ["-o", str(path)]
    call_command(*args, stdout=out)
    return out.getvalue()


def database_state():
    """Everything a load could change: row counts, row ids and audit log entries."""
    return {
        "frameworks": list(Framework.objects.order_by("pk").values_list("pk", "slug", "name", "description")),
        "editions": list(Edition.objects.order_by("pk").values_list("pk", "version", "status", "notes", "loaded_at")),
        "values": Value.objects.count(),
        "value ids": list(Value.objects.order_by("pk").values_list("pk", flat=True)),
        "criteria": Criterion.objects.count(),
        "criterion rows": list(Criterion.objects.order_by("pk").values_list("pk", "code", "statement", "tier", "rated_by")),
        "levels": list(RatingLevel.objects.order_by("pk").values_list("pk", "value", "label")),
        "log entries": LogEntry.objects.count(),
    }
