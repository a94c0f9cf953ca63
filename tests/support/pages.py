"""Reading pages the way a person does: the words on them, not the markup; and counting the
queries a page runs."""

import re
from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext


class _Text(HTMLParser):
    SKIPPED = {"script", "style", "title", "head"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def words(html):
    """The visible words of a piece of HTML, with runs of white space collapsed to one space."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def text(response):
    """The visible words of a page, with runs of white space collapsed to one space."""
    return words(response.content.decode())


def section(response, heading_id):
    """The words of the <section> labelled by the heading with this id ("" if there is none)."""
    html = response.content.decode()
    start = html.find(f'aria-labelledby="{heading_id}"')
    if start == -1:
        return ""
    end = html.find("</section>", start)
    return words(html[html.rfind("<section", 0, start):end])


def table_rows(response):
    """The words of each row in the body of the page's (first) table."""
    html = response.content.decode()
    body = html[html.find("<tbody>"):html.find("</tbody>")]
    return [words(part) for part in body.split("<tr>")[1:]]


def table(response, caption):
    """The words of each body row of the table with this caption ([] if there is none)."""
    html = response.content.decode()
    start = html.find(f">{caption}</caption>")
    if start == -1:
        return []
    body = html[html.find("<tbody>", start):html.find("</tbody>", start)]
    return [words(part) for part in re.split(r"<tr[^>]*>", body)[1:]]


def messages_on(response):
    """The notices shown at the top of the page."""
    return [str(message) for message in response.context["messages"]] if response.context else []


def counted(client, url):
    """(the number of queries, the response) of a second visit to a page: the first visit fills
    per-process caches (and starts the wizard's session storage)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response
