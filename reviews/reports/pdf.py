"""HTML to tagged PDF with WeasyPrint, fetching nothing but data: URIs and our own static files.

WeasyPrint's default fetcher follows http(s):// and file:// addresses, so text in a report could
make it read local files or call out. Ours refuses everything else, whatever the HTML says.
"""

import base64
import mimetypes
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from django.contrib.staticfiles import finders

STATIC_SCHEME = "static:"


def _weasyprint():
    # Imported when first needed: it costs about a second, which web requests and commands
    # that never render a PDF should not pay.
    import weasyprint  # noqa: PLC0415
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    return weasyprint, URLFetcher, URLFetcherResponse


def safe_fetcher():
    _module, URLFetcher, URLFetcherResponse = _weasyprint()

    class SafeURLFetcher(URLFetcher):
        """Only data: URIs and files of our static folders (static:css/report.css)."""

        def __init__(self):
            # Deliberately not URLFetcher.__init__: it sets up HTTP(S), FTP and file handlers
            # (and an SSL context, ~20 ms) that this fetcher must never use. WeasyPrint reads
            # _fail_on_errors when a fetch is refused: False skips the resource and renders on.
            self._fail_on_errors = False

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return _data_response(URLFetcherResponse, url)
            if url.startswith(STATIC_SCHEME):
                path = finders.find(url.removeprefix(STATIC_SCHEME).lstrip("/"))
                if path:
                    with open(path, "rb") as file:
                        body = file.read()
                    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
            raise ValueError(f"Reports fetch only data: URIs and our own static files, not {url[:80]!r}")

    return SafeURLFetcher()


def _data_response(response_class, url):
    """Decodes a data: URI (RFC 2397) without urllib's network machinery."""
    header, comma, payload = url.partition(",")
    if not comma:
        raise ValueError("Malformed data: URI")
    media = header.removeprefix("data:")
    if media.endswith(";base64"):
        body = base64.b64decode(payload)
        media = media.removesuffix(";base64")
    else:
        body = unquote_to_bytes(payload)
    return response_class(url[:64], body, headers={"Content-Type": media or "text/plain;charset=US-ASCII"})


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(html):
    """A tagged PDF/UA-1 of the HTML (which must set lang and <title>)."""
    weasyprint, _fetcher, _response = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=safe_fetcher()).render(
        pdf_variant="pdf/ua-1"
    )
    return RenderedPdf(document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages))
