"""The running headers of PDFs carry text people typed (a commissioner's name, a framework's name)
inside a CSS string: the `css_string` filter escapes everything that could end the string, the rule
or the <style> element, so a crafted name shows as written and the PDF keeps its pages."""

import re

import pytest
import tinycss2
from django.urls import reverse
from django.utils import timezone

from reviews.models import Report, ReportKind
from reviews.templatetags.review_tags import css_string
from standards.models import Framework
from tests.factories import build_edition
from tests.support.documents import download, pdf_pages, pdf_text, squeezed
from tests.support.personas import browser_for
from tests.support.reviews import OTHER_NAMES, home_cycle, other_services

# A name as a form would take it (forms refuse NUL; the filter's tests below have one).
CRAFTED = 'Ann "\r\f</style><h1>Injected</h1>\\ \n Ó Briain'


# --- the filter -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        pytest.param('say "hi"', "say \\22 hi\\22 ", id="double quote"),
        pytest.param("back\\slash", "back\\5C slash", id="backslash"),
        pytest.param("a\rb", "a\\D b", id="carriage return"),
        pytest.param("a\fb", "a\\C b", id="form feed"),
        pytest.param("a\nb", "a\\A b", id="line feed"),
        pytest.param("a\x00b", "a\\FFFD b", id="NUL, which CSS cannot hold, as the replacement character"),
        pytest.param("</style>", "\\3C /style\\3E ", id="end of the style element"),
        pytest.param("a\tb\x7fc", "a\\9 b\\7F c", id="tab and delete"),
        pytest.param("a\u2028b", "a\\2028 b", id="line separator"),
        pytest.param("Siobhán Ó Briain", "Siobhán Ó Briain", id="accented letters kept"),
        pytest.param("Zoë Łukasz Ирина 王芳", "Zoë Łukasz Ирина 王芳", id="letters of any script kept"),
        pytest.param("O'Brien & Sons (2026): 1/2", "O'Brien & Sons (2026): 1/2", id="harmless punctuation kept"),
        pytest.param("", "", id="nothing"),
    ],
)
def test_css_string_escapes_what_could_end_the_string(text, escaped):
    assert css_string(text) == escaped


@pytest.mark.parametrize(
    "text",
    [
        CRAFTED,
        CRAFTED + "\x00",
        '"; } } body { display: none } @page { @top-left { content: "',
        "</STYLE><script>alert(1)</script>",
        "\\22 not an escape",
        "\\\n\\\r\n",
        "tab\there, bell\x07, escape\x1b, delete\x7f",
        "abc\u00a0def\ufeff\u200b",
        "Café 123abc",  # a hexadecimal digit right after an escape must not join it
        "\x00" * 3 + "F00D",
    ],
)
def test_css_string_reads_back_as_the_same_text_in_css(text):
    [token] = tinycss2.parse_component_value_list(f'"{css_string(text)}"')

    assert token.type == "string"
    assert token.value == text.replace("\x00", "\ufffd")


def test_css_string_never_writes_characters_that_end_a_string_or_a_style_element():
    every_ascii_character = "".join(chr(code) for code in range(128))

    escaped = css_string(every_ascii_character)

    assert not set(escaped) & {'"', "\n", "\r", "\f", "<", ">", "\x00"}
    assert "\\" not in re.sub(r"\\[0-9A-F]{1,6} ", "", escaped)  # every backslash starts a whole escape


def test_css_string_accepts_any_object_by_its_text():
    class Person:
        def __str__(self):
            return 'Ann "A"'

    assert css_string(Person()) == "Ann \\22 A\\22 "


# --- the PDFs ---------------------------------------------------------------------------------


@pytest.fixture
def crafted_commissioner(personas):
    personas.commissioner.first_name, personas.commissioner.last_name = CRAFTED.split(" ", 1)
    personas.commissioner.save()
    return personas.commissioner


@pytest.mark.usefixtures("private_media")
def test_portfolio_pdf_of_a_commissioner_with_a_crafted_name_keeps_its_pages_and_header(
    personas, crafted_commissioner, django_capture_on_commit_callbacks
):
    home_cycle(personas)  # Kestrel Wing's review under way: it has a page of its own
    client = browser_for(crafted_commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:portfolio"))
    report = Report.objects.get(kind=ReportKind.PORTFOLIO)

    response, pdf = download(client, reverse("reports:report-download", args=[report.pk]))

    assert response.status_code == 200
    assert pdf_pages(pdf) == report.pages == 2  # a cover, and a page for Kestrel Wing
    header = squeezed('Commissioning portfolio · Ann "</style><h1>Injected</h1>\\ Ó Briain')
    assert header in squeezed(pdf_text(pdf, page=2))  # the running header, as written
    assert "Kestrel Wing" in pdf_text(pdf)
    assert "@top-left" not in pdf_text(pdf) and "content:" not in pdf_text(pdf)  # no CSS spilled into the page


@pytest.fixture
def crafted_framework(db):
    edition = build_edition(values=4, criteria_per_value=3)
    other_services(edition, OTHER_NAMES)
    Framework.objects.filter(pk=edition.framework_id).update(name='Standards "\r\f</style><p>Injected')
    return edition


@pytest.mark.usefixtures("private_media")
def test_network_report_for_a_crafted_framework_name_keeps_its_pages_and_header(
    personas, crafted_framework, django_capture_on_commit_callbacks
):
    client = browser_for(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:network-reports"), {"edition": crafted_framework.pk, "year": timezone.localdate().year})
    report = Report.objects.get(kind=ReportKind.NETWORK)

    response, pdf = download(client, reverse("reports:report-download", args=[report.pk]))

    assert response.status_code == 200
    assert pdf_pages(pdf) == report.pages > 1
    version, year = crafted_framework.version, timezone.localdate().year
    header = squeezed(f'Network report · Standards "</style><p>Injected {version}, {year}')
    assert header in squeezed(pdf_text(pdf, page=2))
    assert "@top-left" not in pdf_text(pdf) and "content:" not in pdf_text(pdf)
