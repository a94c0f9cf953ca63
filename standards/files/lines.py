"""YAML read with the line of every entry remembered, so that each problem can name its line."""

import yaml


class _Mapping(dict):
    """A dict that remembers the line of each key, for messages."""

    line = None
    key_lines: dict


class _Sequence(list):
    line = None
    item_lines: list


class _Float(float):
    """A number as it was written, so that messages can quote it (2026.10, not 2026.1)."""

    written = ""


class DuplicateKey(Exception):
    def __init__(self, key, line):
        self.key, self.line = key, line


class LineLoader(yaml.SafeLoader):
    def construct_yaml_map_with_lines(self, node):
        mapping = _Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        yield mapping
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in mapping:
                raise DuplicateKey(key, key_node.start_mark.line + 1)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1

    def construct_yaml_float_as_written(self, node):
        number = _Float(self.construct_yaml_float(node))
        number.written = node.value
        return number

    def construct_yaml_seq_with_lines(self, node):
        sequence = _Sequence()
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        yield sequence
        sequence.extend(self.construct_object(item, deep=True) for item in node.value)


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_yaml_map_with_lines)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_yaml_seq_with_lines)
LineLoader.add_constructor("tag:yaml.org,2002:float", LineLoader.construct_yaml_float_as_written)


def line_of(container, key):
    if isinstance(container, _Mapping):
        return container.key_lines.get(key, container.line)
    if isinstance(container, _Sequence) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", None)
