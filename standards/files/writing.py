"""Writing a standards file in the format it is read in, so load → export → load is the same."""

import yaml


class _Dumper(yaml.SafeDumper):
    """Block style, no aliases, long text folded at a readable width."""

    def ignore_aliases(self, data):
        return True

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper, text):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_standards(data):
    """The YAML text of a standards spec's data (as built by `check_standards_data` or an export)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
