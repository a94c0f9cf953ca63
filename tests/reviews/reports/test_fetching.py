"""WeasyPrint fetches nothing but data: URIs and our own static files. HTML that points at local
files or web addresses (as text in a report could, were it ever not escaped) renders without them:
no file is read, no request is made, and the PDF still comes out."""

import base64
import http.server
import io
import threading
import urllib.request

import pytest
from django.core.exceptions import SuspiciousFileOperation
from PIL import Image

from reviews.reports import pdf as pdf_module
from reviews.reports.pdf import render_pdf, safe_fetcher
from tests.support.documents import drawn_images, figures, pdf_info, pdf_text, recording_fetcher


def png_bytes(colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def web_server():
    """A web server on this machine that answers every request with something a report would show
    (a stylesheet that writes LEAKED-HTTP, or an image), and counts the requests."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            requests.append(self.path)
            is_css = self.path.endswith(".css")
            body = b'body::before { content: "LEAKED-HTTP" }' if is_css else png_bytes("blue")
            self.send_response(200)
            self.send_header("Content-Type", "text/css" if is_css else "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def local_files(tmp_path):
    """A stylesheet that writes LEAKED-FILE and an image, as local files."""
    (tmp_path / "evil.css").write_text('body::after { content: "LEAKED-FILE" }')
    (tmp_path / "evil.png").write_bytes(png_bytes("green"))
    return tmp_path


@pytest.fixture
def opened(monkeypatch):
    """Addresses handed to urllib, which WeasyPrint's own fetcher uses (this is not our database)."""
    calls = []
    real_open = urllib.request.OpenerDirector.open

    def record(opener, url, *args, **kwargs):
        calls.append(getattr(url, "full_url", url))
        return real_open(opener, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", record)
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, *a, **k: calls.append(url))
    return calls


def hostile_html(server, files):
    inline = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    return f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Fetching</title>
<link rel="stylesheet" href="file:///etc/passwd">
<link rel="stylesheet" href="file://{files}/evil.css">
<link rel="stylesheet" href="{server}/linked.css">
<style>@import url("{server}/imported.css"); p {{ background: url("{server}/background.png") }}
@font-face {{ font-family: Far; src: url("{server}/font.woff") }}</style>
</head><body><p>Only this text.</p>
<img src="file:///etc/passwd" alt="The password file">
<img src="file://{files}/evil.png" alt="A local image">
<img src="{server}/picture.png" alt="A web image">
<img src="http://127.0.0.1:9/x.png" alt="Nothing listens here">
<img src="/etc/passwd" alt="A path"><img src="../../../../etc/passwd" alt="A relative path">
<object data="{server}/object.png"></object><embed src="{server}/embed.png">
<img src="{inline}" alt="An inline image">
</body></html>"""


def test_render_pdf_fetches_no_file_or_web_address(web_server, local_files, opened, monkeypatch):
    server, requests = web_server
    asked = []
    monkeypatch.setattr(pdf_module, "safe_fetcher", recording_fetcher(asked))

    rendered = render_pdf(hostile_html(server, local_files))

    text = pdf_text(rendered.content)
    assert "Only this text." in text
    assert "LEAKED" not in text
    assert "root:" not in text
    assert requests == []  # the web server was never asked
    assert opened == []  # nor was urllib
    assert drawn_images(rendered.content) == 1  # only the inline image; the others show their alt text
    assert "The password file" in text and "A web image" in text
    assert "An inline image" in figures(rendered.content)
    assert pdf_info(rendered.content)["Tagged"] == "yes"
    refused = [url for url in asked if not url.startswith("data:")]
    assert "file:///etc/passwd" in refused and f"{server}/picture.png" in refused
    assert "http://127.0.0.1:9/x.png" in refused and f"file://{local_files}/evil.css" in refused


def test_render_pdf_reports_each_refused_address(web_server, local_files, caplog):
    server, _requests = web_server

    render_pdf(hostile_html(server, local_files))

    messages = caplog.text
    assert "Failed to load image at 'file:///etc/passwd'" in messages
    assert "Failed to load image at 'http://127.0.0.1:9/x.png'" in messages
    assert "Failed to load stylesheet at file:///etc/passwd" in messages
    assert "Reports fetch only data: URIs and our own static files" in messages


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
        "/etc/passwd",
        "../../../../etc/passwd",
        "static:../../../../../../etc/passwd",
        "static:/etc/passwd",
        "static:css/no-such-file.css",
        "data-not-really:,x",
    ],
)
def test_safe_fetcher_refuses(url):
    with pytest.raises((ValueError, SuspiciousFileOperation)):
        safe_fetcher().fetch(url)


def test_safe_fetcher_reads_data_uris_and_our_static_files():
    fetcher = safe_fetcher()

    inline = fetcher.fetch("data:text/plain;base64," + base64.b64encode(b"plain words").decode())
    encoded = fetcher.fetch("data:,a%20b")
    static = fetcher.fetch("static:css/site.css")

    assert (inline.read(), inline.content_type) == (b"plain words", "text/plain")
    assert encoded.read() == b"a b"
    assert static.content_type == "text/css" and len(static.read()) > 100
