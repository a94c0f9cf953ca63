"""The members' questionnaire on paper: an easy-read PDF (tagged, PDF/UA-1) with big tick boxes,
the service's name and how to hand it back, and no codes. Returned copies are typed in by staff."""

from itertools import groupby

from django.template.loader import render_to_string

from reviews.members.models import MemberAnswer
from reviews.members.queries import member_questions


def _weasyprint():
    # Imported when first needed: it costs about a second, which pages that never print should not pay.
    import weasyprint  # noqa: PLC0415
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    return weasyprint, URLFetcher


def _fetch_nothing():
    """The questionnaire's HTML holds everything it needs (styles inline, no images): refuse any fetch."""
    _module, URLFetcher = _weasyprint()

    class NoFetcher(URLFetcher):
        def __init__(self):
            self._fail_on_errors = False  # a refused fetch is skipped, as WeasyPrint's own fetcher does

        def fetch(self, url, headers=None):
            raise ValueError(f"The printable questionnaire fetches nothing, not {url[:80]!r}")

    return NoFetcher()


def printable_questionnaire(cycle):
    """The PDF's bytes for this cycle's questionnaire."""
    questions = member_questions(cycle.edition)
    html = render_to_string("members/questionnaire_printable.html", {
        "service": cycle.service,
        "pages": [(value, list(criteria)) for value, criteria in groupby(questions, key=lambda c: c.value)],
        "choices": [label for _value, label in MemberAnswer.choices],
    })
    weasyprint, _fetcher = _weasyprint()
    document = weasyprint.HTML(string=html, url_fetcher=_fetch_nothing()).render(pdf_variant="pdf/ua-1")
    return document.write_pdf(pdf_variant="pdf/ua-1")
