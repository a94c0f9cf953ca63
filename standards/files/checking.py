"""Checking a parsed standards file, entry by entry, collecting every problem in plain words.

The validation is written by hand because the messages matter: the people who edit these files
are network administrators, not programmers, and a generic schema library's messages would not
tell them in plain words which criterion is wrong.
"""

import re

from standards.files.lines import line_of
from standards.files.problems import Problem, StandardsFileError, StandardsSpec

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # it appears in page addresses: no slashes
TIERS = (1, 2, 3)
RATED_BY = ("staff", "members", "both")
STATUSES = ("draft", "published", "retired")
RESERVED_LEVEL_LABELS = {"not applicable", "n/a", "na"}

SECTIONS = {"framework", "edition", "levels", "thresholds", "rag", "members", "values"}
FRAMEWORK_KEYS = {"slug", "name", "description"}
EDITION_KEYS = {"version", "status", "notes"}
LEVEL_KEYS = {"value", "label", "description"}
THRESHOLD_KEYS = {"tier_1", "tier_2", "tier_3"}
RAG_KEYS = {"green", "amber"}
MEMBERS_KEYS = {"minimum", "met_from", "partly_met_from"}
VALUE_KEYS = {"code", "name", "summary", "criteria"}
CRITERION_KEYS = {"code", "statement", "guidance", "evidence_examples", "tier", "rated_by", "easy_read"}

DEFAULT_THRESHOLDS = {"tier_1": 100, "tier_2": 80, "tier_3": 60}
DEFAULT_RAG = {"green": 80, "amber": 50}
DEFAULT_MEMBERS = {"minimum": 5, "met_from": 75, "partly_met_from": 50}

# Easy read: short sentences with one idea each. Longer ones are refused with the count.
EASY_READ_MOST_WORDS = 15
EASY_READ_MOST_SENTENCES = 5
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class _Checker:
    """Walks the parsed file, collecting problems and building the normalised data."""

    def __init__(self, name):
        self.name = name
        self.problems = []

    def problem(self, container, key, entry, message):
        self.problems.append(Problem(self.name, line_of(container, key), entry, message))

    def mapping(self, container, key, entry, allowed, required=True):
        """The mapping at container[key], or None after recording why it is unusable."""
        if key not in container or container[key] is None:
            if required:
                self.problem(container, key, entry, "is missing")
            return None
        value = container[key]
        if not isinstance(value, dict):
            self.problem(container, key, entry, f"must be a set of fields (key: value), not {_kind(value)}")
            return None
        for unknown in sorted(set(value) - allowed):
            self.problem(
                value, unknown, f"{entry}.{unknown}", f"is not a known field (known fields: {', '.join(sorted(allowed))})"
            )
        return value

    def sequence(self, container, key, entry, minimum=1):
        if key not in container or container[key] is None:
            self.problem(container, key, entry, "is missing")
            return None
        value = container[key]
        if not isinstance(value, list):
            self.problem(container, key, entry, f"must be a list, not {_kind(value)}")
            return None
        if len(value) < minimum:
            self.problem(container, key, entry, f"must have at least {minimum} entr{'y' if minimum == 1 else 'ies'}")
            return None
        return value

    def text(self, container, key, entry, required=True, max_length=None, pattern=None, pattern_hint=""):
        value = container.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(container, key, entry, "is missing" if key not in container else "must not be empty")
                return None
            return ""
        if isinstance(value, float):
            written = getattr(value, "written", "") or value
            self.problem(container, key, entry, f"write it in quotes, e.g. \"{written}\", so that it is read as text")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(container, key, entry, f"must be text, not {_kind(value)}")
            return None
        text = str(value).strip()
        if max_length and len(text) > max_length:
            self.problem(container, key, entry, f"is too long ({len(text)} characters; at most {max_length})")
            return None
        if pattern and not pattern.match(text):
            self.problem(container, key, entry, f"{text!r} is not valid: {pattern_hint}")
            return None
        return text

    def whole_number(self, container, key, entry, minimum=None, maximum=None, default=None):
        if key not in container and default is not None:
            return default
        value = container.get(key)
        if value is None:
            self.problem(container, key, entry, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(container, key, entry, f"must be a whole number, not {value!r}")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.problem(container, key, entry, f"must be between {minimum} and {maximum}, not {value}")
            return None
        return value

    def choice(self, container, key, entry, choices, default=None):
        if key not in container and default is not None:
            return default
        value = container.get(key)
        if value is None:
            self.problem(container, key, entry, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)) or value not in choices:
            shown = ", ".join(str(c) for c in choices)
            self.problem(container, key, entry, f"must be one of {shown}, not {value!r}")
            return None
        return value


def _kind(value):
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


def _check_framework(check, root):
    framework = check.mapping(root, "framework", "framework", FRAMEWORK_KEYS)
    if framework is None:
        return None
    return {
        "slug": check.text(
            framework, "slug", "framework.slug", max_length=100, pattern=SLUG,
            pattern_hint="use lower-case letters, digits and hyphens, e.g. relational-practice-standards",
        ),
        "name": check.text(framework, "name", "framework.name", max_length=200),
        "description": check.text(framework, "description", "framework.description", required=False),
    }


def _check_edition(check, root):
    edition = check.mapping(root, "edition", "edition", EDITION_KEYS)
    if edition is None:
        return None
    return {
        "version": check.text(
            edition, "version", "edition.version", max_length=50, pattern=VERSION,
            pattern_hint="use letters, digits, dots and hyphens, e.g. 2026.1",
        ),
        "status": check.choice(edition, "status", "edition.status", STATUSES),
        "notes": check.text(edition, "notes", "edition.notes", required=False),
    }


def _check_levels(check, root):
    levels = check.sequence(root, "levels", "levels", minimum=2)
    if levels is None:
        return None
    checked = []
    for index, level in enumerate(levels):
        entry = f"levels[{index}]"
        if not isinstance(level, dict):
            check.problem(levels, index, entry, f"must be a set of fields (value, label), not {_kind(level)}")
            continue
        for unknown in sorted(set(level) - LEVEL_KEYS):
            check.problem(level, unknown, f"{entry}.{unknown}", "is not a known field (known: value, label, description)")
        value = check.whole_number(level, "value", f"{entry}.value", minimum=0, maximum=100)
        label = check.text(level, "label", f"{entry}.label", max_length=50)
        if label and label.lower() in RESERVED_LEVEL_LABELS:
            check.problem(level, "label", f"{entry}.label", "Not applicable is not a level: every edition has it as a separate state")
        if value is not None and checked and checked[-1]["value"] is not None and value <= checked[-1]["value"]:
            check.problem(
                level, "value", f"{entry}.value",
                f"levels must be listed from lowest to highest value with no repeats ({value} follows {checked[-1]['value']})",
            )
        if label and any(label.lower() == (other["label"] or "").lower() for other in checked):
            check.problem(level, "label", f"{entry}.label", f"the label {label!r} is used twice")
        checked.append(
            {"value": value, "label": label, "description": check.text(level, "description", f"{entry}.description", required=False, max_length=300)}
        )
    return checked


def _check_percentages(check, root, section, keys, defaults):
    if section not in root:
        return dict(defaults)
    mapping = check.mapping(root, section, section, keys)
    if mapping is None:
        return None
    return {key: check.whole_number(mapping, key, f"{section}.{key}", 0, 100, default=defaults[key]) for key in defaults}


def _check_members(check, root):
    """The members' questionnaire rule: the fewest answers shown, and the shares for each level."""
    members = _check_percentages(check, root, "members", MEMBERS_KEYS, DEFAULT_MEMBERS)
    if not members or None in members.values():
        return members
    if members["minimum"] < 2:
        check.problem(root["members"], "minimum", "members.minimum",
                      "must be 2 or more: a single answer shown on its own says who gave it")
    if members["partly_met_from"] > members["met_from"]:
        check.problem(root["members"], "partly_met_from", "members.partly_met_from",
                      f"must not be above members.met_from ({members['partly_met_from']} > {members['met_from']})")
    return members


def _check_criterion(check, criteria, index, entry, seen_codes):
    criterion = criteria[index]
    if not isinstance(criterion, dict):
        check.problem(criteria, index, entry, f"must be a set of fields (code, statement, ...), not {_kind(criterion)}")
        return None
    for unknown in sorted(set(criterion) - CRITERION_KEYS):
        check.problem(
            criterion, unknown, f"{entry}.{unknown}",
            f"is not a known field (known fields: {', '.join(sorted(CRITERION_KEYS))})",
        )
    code = check.text(criterion, "code", f"{entry}.code", pattern=CODE, pattern_hint="use letters, digits and dots, e.g. BEL.2")
    if code:
        if code in seen_codes:
            check.problem(criterion, "code", f"{entry}.code", f"the code {code} is already used by {seen_codes[code]}")
        else:
            seen_codes[code] = entry
    return {
        "code": code,
        "statement": check.text(criterion, "statement", f"{entry}.statement", max_length=1000),
        "guidance": check.text(criterion, "guidance", f"{entry}.guidance", required=False),
        "evidence_examples": _check_examples(check, criterion, f"{entry}.evidence_examples"),
        "tier": check.choice(criterion, "tier", f"{entry}.tier", TIERS),
        "rated_by": check.choice(criterion, "rated_by", f"{entry}.rated_by", RATED_BY),
        "easy_read": _check_easy_read(check, criterion, entry),
    }


def _check_easy_read(check, criterion, entry):
    """The members' wording: required where members answer, and written for them: short
    sentences, one idea each, no criterion codes, ending with the question they answer."""
    rated_by = criterion.get("rated_by")
    if rated_by not in RATED_BY:  # its own problem is reported; a second one would only confuse
        return check.text(criterion, "easy_read", f"{entry}.easy_read", required=False, max_length=600) or ""
    if rated_by == "staff":
        if criterion.get("easy_read"):
            check.problem(criterion, "easy_read", f"{entry}.easy_read",
                          "is only for criteria members answer (rated_by: members or both); remove it or change rated_by")
        return ""
    text = check.text(criterion, "easy_read", f"{entry}.easy_read", max_length=600)
    if not text:
        return text
    sentences = [sentence for sentence in SENTENCE_END.split(" ".join(text.split())) if sentence]
    if len(sentences) > EASY_READ_MOST_SENTENCES:
        check.problem(criterion, "easy_read", f"{entry}.easy_read",
                      f"has {len(sentences)} sentences; easy read asks one question in at most {EASY_READ_MOST_SENTENCES}")
    for sentence in sentences:
        words = len(sentence.split())
        if words > EASY_READ_MOST_WORDS:
            check.problem(criterion, "easy_read", f"{entry}.easy_read",
                          f"the sentence \"{sentence}\" has {words} words; keep each sentence to {EASY_READ_MOST_WORDS} or fewer")
    if found := CRITERION_CODE_IN_TEXT.search(text):
        check.problem(criterion, "easy_read", f"{entry}.easy_read",
                      f"must not contain codes such as {found.group()}: members read the words only")
    if not text.endswith("?"):
        check.problem(criterion, "easy_read", f"{entry}.easy_read",
                      "must end with the question members answer Yes, Sometimes or No to, e.g. \"Is this true for you?\"")
    return text


# A value or criterion code: letters, perhaps digits, a dot and digits (BEL.2, V1.3, C.12).
CRITERION_CODE_IN_TEXT = re.compile(r"\b[A-Za-z]{1,5}[0-9]*\.[0-9]+\b")


def _check_examples(check, criterion, entry):
    examples = criterion.get("evidence_examples")
    if examples is None:
        return []
    if not isinstance(examples, list):
        check.problem(criterion, "evidence_examples", entry, f"must be a list of short texts, not {_kind(examples)}")
        return []
    checked = []
    for index, example in enumerate(examples):
        if not isinstance(example, str) or not example.strip():
            check.problem(examples, index, f"{entry}[{index}]", "must be a short text")
        else:
            checked.append(example.strip())
    return checked


def _check_values(check, root):
    values = check.sequence(root, "values", "values")
    if values is None:
        return None
    checked, value_codes, criterion_codes = [], {}, {}
    for index, value in enumerate(values):
        entry = f"values[{index}]"
        if not isinstance(value, dict):
            check.problem(values, index, entry, f"must be a set of fields (code, name, criteria), not {_kind(value)}")
            continue
        for unknown in sorted(set(value) - VALUE_KEYS):
            check.problem(value, unknown, f"{entry}.{unknown}", f"is not a known field (known fields: {', '.join(sorted(VALUE_KEYS))})")
        code = check.text(value, "code", f"{entry}.code", pattern=CODE, pattern_hint="use letters and digits, e.g. BEL")
        if code:
            if code in value_codes:
                check.problem(value, "code", f"{entry}.code", f"the code {code} is already used by {value_codes[code]}")
            else:
                value_codes[code] = entry
        criteria = check.sequence(value, "criteria", f"{entry}.criteria") or []
        checked.append(
            {
                "code": code,
                "name": check.text(value, "name", f"{entry}.name", max_length=100),
                "summary": check.text(value, "summary", f"{entry}.summary", required=False),
                "criteria": [
                    _check_criterion(check, criteria, i, f"{entry}.criteria[{i}]", criterion_codes)
                    for i in range(len(criteria))
                ],
            }
        )
    return checked


def check_standards_data(root, name):
    """Checks parsed YAML; returns a StandardsSpec or raises StandardsFileError listing every problem."""
    check = _Checker(name)
    if not isinstance(root, dict):
        raise StandardsFileError([Problem(name, None, "", f"must contain a set of sections ({', '.join(sorted(SECTIONS))}), not {_kind(root)}")])
    for unknown in sorted(set(root) - SECTIONS):
        check.problem(root, unknown, unknown, f"is not a known section (known sections: {', '.join(sorted(SECTIONS))})")
    data = {
        "framework": _check_framework(check, root),
        "edition": _check_edition(check, root),
        "levels": _check_levels(check, root),
        "thresholds": _check_percentages(check, root, "thresholds", THRESHOLD_KEYS, DEFAULT_THRESHOLDS),
        "rag": _check_percentages(check, root, "rag", RAG_KEYS, DEFAULT_RAG),
        "members": _check_members(check, root),
        "values": _check_values(check, root),
    }
    rag = data["rag"]
    if rag and rag["green"] is not None and rag["amber"] is not None and rag["amber"] > rag["green"]:
        check.problem(root["rag"], "amber", "rag.amber", f"must not be above rag.green ({rag['amber']} > {rag['green']})")
    if check.problems:
        raise StandardsFileError(check.problems)
    return StandardsSpec(source=name, data=data)
