"""Reading pages the way a person does: the words on them, not the markup."""

from html.parser import HTMLParser

PERSONA_NAMES = [
    "admin", "lead", "staff", "member", "reviewer", "lived_experience_reviewer", "lead_reviewer",
    "commissioner", "outsider",
]
REVIEWER_NAMES = ["reviewer", "lived_experience_reviewer", "lead_reviewer"]


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


def text(response):
    """The visible words of a page, with runs of white space collapsed to one space."""
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def section(response, heading_id):
    """The words of the <section> labelled by the heading with this id ("" if there is none)."""
    html = response.content.decode()
    start = html.find(f'aria-labelledby="{heading_id}"')
    if start == -1:
        return ""
    end = html.find("</section>", start)
    parser = _Text()
    parser.feed(html[html.rfind("<section", 0, start):end])
    return " ".join(" ".join(parser.parts).split())


def table_rows(response):
    """The words of each row in the body of the page's (first) table."""
    html = response.content.decode()
    body = html[html.find("<tbody>"):html.find("</tbody>")]
    rows = []
    for part in body.split("<tr>")[1:]:
        parser = _Text()
        parser.feed(part)
        rows.append(" ".join(" ".join(parser.parts).split()))
    return rows
