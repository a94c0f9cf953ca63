"""The shape of the code, checked: short modules and functions, imports at the top, and every
page's code one hop from its address. (The import layers are checked by lint-imports, with the
contracts in .importlinter, before the tests run.)"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
APPS = ("assurance", "standards", "reviews")
# Modules held to the size limits: the apps, and the tests and benchmarks that go with them.
SIZED = (*APPS, "tests", "bench")
MODULE_LINES = 400
FUNCTION_LINES = 60
# A module or function may be longer when its docstring says why, in these words.
EXCUSE = "long because"


def _sources(folders=APPS):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _name(path):
    return str(path.relative_to(ROOT))


def _excused(node):
    return EXCUSE in (ast.get_docstring(node) or "").lower()


def test_no_module_is_over_400_lines_unless_it_says_why():
    long = [
        f"{_name(path)}: {lines} lines"
        for path in _sources(SIZED)
        if (lines := path.read_text().count("\n")) > MODULE_LINES and not _excused(ast.parse(path.read_text()))
    ]
    assert not long, "Split these modules, or say in the docstring why they are long:\n" + "\n".join(long)


def test_no_function_is_over_60_lines_unless_it_says_why():
    long = []
    for path in _sources(SIZED):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > FUNCTION_LINES and not _excused(node):
                    long.append(f"{_name(path)}:{node.lineno} {node.name}: {lines} lines")
    assert not long, "Shorten these functions, or say in the docstring why they are long:\n" + "\n".join(long)


def _inline_imports(tree, lines):
    """Imports inside functions, except those marked `noqa: PLC0415` with the reason beside them.
    (apps.py is not searched: an AppConfig imports in ready(), once Django has loaded the models.)"""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom) and "noqa: PLC0415" not in lines[node.lineno - 1]:
                yield node.lineno


def test_imports_are_at_the_top_of_modules():
    inline = [
        f"{_name(path)}:{line}"
        for path in _sources()
        if path.name != "apps.py"
        for line in _inline_imports(ast.parse(path.read_text()), path.read_text().splitlines())
    ]
    assert not inline, "Move these imports to the top of their module:\n" + "\n".join(inline)


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


# Where a page's code may live: <app>/views.py (or a views.py of one of its packages, such as
# assurance/onboarding), or a stage's views (or wizard) in reviews.
PAGE_MODULE = re.compile(r"^(assurance|standards)(\.[a-z]+)?\.views$|^reviews\.[a-z]+\.(views|wizard)(\.[a-z_]+)?$")


def test_every_page_of_ours_is_in_a_views_module_of_its_stage():
    astray = []
    for route, callback in _patterns(get_resolver()):
        module = getattr(callback, "view_class", callback).__module__
        if route.startswith("admin/"):  # Django's administration, set up in assurance/admin.py
            continue
        if module.split(".")[0] in APPS and not PAGE_MODULE.match(module):
            astray.append(f"/{route} → {module}")
    assert not astray, "Put these pages in their stage's views:\n" + "\n".join(astray)


@pytest.mark.parametrize("stage", ["cycles", "selfassessment", "peer", "reports"])
def test_each_stage_keeps_its_models_rules_queries_pages_and_addresses(stage):
    present = {path.stem for path in (ROOT / "reviews" / stage).iterdir()}
    assert {"models", "rules", "queries", "views", "urls"} <= present
