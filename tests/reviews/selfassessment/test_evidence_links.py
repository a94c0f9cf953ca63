"""Evidence as a link: web addresses accepted (https:// taken when no scheme is given), anything
else refused with one clear message."""

import pytest

from reviews.models import Evidence
from tests.support.evidence import add_link, evidence_url, field_error, input_value

# Every test keeps its files in a folder of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["https://example.org/you-said-we-did", "http://intranet.example/minutes"])
def test_link_accepted_for_web_address(client_for, personas, cycle, address):
    client = client_for(personas.staff)

    response = add_link(client, cycle, address)

    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.kind, item.url, item.title) == ("link", address, "'You said, we did' board")
    assert f'href="{address}"' in client.get(evidence_url(cycle)).content.decode()


def test_link_without_scheme_taken_as_https(client_for, personas, cycle):
    add_link(client_for(personas.staff), cycle, "example.org/minutes")

    assert Evidence.objects.get().url == "https://example.org/minutes"


LINK_MESSAGE = "Enter a web address starting with https:// or http://"


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(document.cookie)", "ftp://files.example.org/minutes.pdf", "data:text/html,<script>x</script>"],
)
def test_link_refused_when_not_a_web_address(client_for, personas, cycle, address):
    response = add_link(client_for(personas.staff), cycle, address)

    assert response.status_code == 400
    assert LINK_MESSAGE in field_error(response, "id_link-url")
    assert input_value(response, "link-title") == "'You said, we did' board"
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(document.cookie)",
        "ftp://files.example.org/minutes.pdf",
        "data:text/html,<script>x</script>",
        "not a web address",
    ],
)
def test_link_refused_message_shown_once(client_for, personas, cycle, address):
    response = add_link(client_for(personas.staff), cycle, address)

    assert field_error(response, "id_link-url") == "Error: " + LINK_MESSAGE
