"""Reading a standards file: bytes to text to YAML to checked data, every failure a Problem."""

from pathlib import Path

import yaml

from standards.files.checking import check_standards_data
from standards.files.lines import DuplicateKey, LineLoader
from standards.files.problems import Problem, StandardsFileError

MAX_FILE_BYTES = 2 * 1024 * 1024
# A standards file nests five deep (values → criteria → fields → examples); this leaves room for
# mistakes while keeping the YAML reader, which builds nested entries recursively, far from
# Python's recursion limit.
MAX_DEPTH = 20


def read_standards_text(text, name):
    try:
        _check_shape(text, name)
        root = yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
    except DuplicateKey as duplicate:
        entry = _entry_at(yaml.compose(text, Loader=yaml.SafeLoader), duplicate.key, duplicate.line) or duplicate.key
        raise StandardsFileError([Problem(name, duplicate.line, entry, "appears twice in the same place; keep one")]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        reason = error.problem or error.context or "invalid YAML"
        raise StandardsFileError([Problem(name, line, "", f"is not valid YAML{column}: {reason}")]) from None
    except yaml.YAMLError as error:
        raise StandardsFileError([Problem(name, None, "", f"is not valid YAML: {error}")]) from None
    if root is None:
        raise StandardsFileError([Problem(name, None, "", "is empty")])
    return check_standards_data(root, name)


def _check_shape(text, name):
    """Refuses, before anything is built, YAML nested deeper than MAX_DEPTH or using aliases
    (an alias repeats an entry, and a few of them repeat it billions of times). Reading the parser's
    events takes no recursion, however deep the nesting."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise StandardsFileError([Problem(name, event.start_mark.line + 1, "", (
                f"uses an alias (*{event.anchor}); standards files do not use anchors and aliases: "
                "write each entry out in full"))])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise StandardsFileError([Problem(name, event.start_mark.line + 1, "", (
                    f"is nested more than {MAX_DEPTH} levels deep; a standards file needs five "
                    "(values, criteria, their fields and lists)"))])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _entry_at(node, key, line, path="", seen=None):
    """The entry (e.g. ``values[0].criteria[1].tier``) of the mapping key `key` written at `line`."""
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias back to an enclosing node
        return None
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            entry = f"{path}.{key_node.value}" if path else str(key_node.value)
            if key_node.value == key and key_node.start_mark.line + 1 == line:
                return entry
            if found := _entry_at(value_node, key, line, entry, seen):
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if found := _entry_at(item, key, line, f"{path}[{index}]", seen):
                return found
    return None


def read_standards_file(path):
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StandardsFileError([Problem(name, None, "", "no such file")]) from None
    except OSError as error:
        raise StandardsFileError([Problem(name, None, "", f"cannot be read ({error.strerror})")]) from None
    return read_standards_bytes(raw, name)


def read_standards_bytes(raw, name):
    if len(raw) > MAX_FILE_BYTES:
        raise StandardsFileError([Problem(name, None, "", f"is too large ({len(raw) // 1024} KB; at most {MAX_FILE_BYTES // 1024} KB)")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StandardsFileError([Problem(name, None, "", f"is not UTF-8 text (byte {error.start})")]) from None
    return read_standards_text(text, name)
