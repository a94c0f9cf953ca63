"""Evidence files uploaded on a cycle's evidence page, judged by what the file is rather than
what it is called: the kinds that are accepted, and everything else refused with a clear message
and nothing stored."""

import hashlib

import pytest

from reviews.models import Evidence, Perspective
from tests.support.documents import stored_files
from tests.support.evidence import (
    ELF_BYTES,
    MZ_BYTES,
    download_evidence,
    download_url,
    evidence_url,
    field_error,
    image_bytes,
    input_value,
    office_bytes,
    pdf_bytes,
    text_bytes,
    upload,
)
from tests.support.pages import text

# Every test keeps its files in a folder of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


ACCEPTED = [
    pytest.param("report.pdf", pdf_bytes, "application/pdf", id="pdf"),
    pytest.param(
        "practice-guide.docx", lambda: office_bytes("word"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", id="word",
    ),
    pytest.param(
        "rota.xlsx", lambda: office_bytes("xl"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", id="excel",
    ),
    pytest.param("board.png", lambda: image_bytes("PNG"), "image/png", id="png"),
    pytest.param("garden.jpg", lambda: image_bytes("JPEG"), "image/jpeg", id="jpeg"),
    pytest.param("minutes.txt", text_bytes, "text/plain", id="text"),
]


# --- files that are accepted ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "mime"), ACCEPTED)
def test_upload_accepted_for_allowed_kind(client_for, personas, cycle, media_root, name, make, mime):
    content = make()
    client = client_for(personas.staff)

    response = upload(client, cycle, name, content, title="Our evidence", description="What it shows.")

    assert response.status_code == 302
    assert response.url == evidence_url(cycle)
    item = Evidence.objects.get()
    assert (item.cycle, item.kind, item.title, item.description) == (cycle, "file", "Our evidence", "What it shows.")
    assert (item.original_name, item.content_type, item.size) == (name, mime, len(content))
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert (item.added_by, item.added_as) == (personas.staff, Perspective.STAFF)
    page = client.get(evidence_url(cycle))
    assert "“Our evidence” is added" in text(page)
    assert f'href="{download_url(item)}"' in page.content.decode()
    assert download_evidence(client, item)[:2] == (200, content)


def test_upload_text_with_a_multibyte_character_across_chunks_accepted(client_for, personas, cycle):
    # Files over FILE_UPLOAD_MAX_MEMORY_SIZE are read in 64 KiB chunks: put a "€" across the first boundary.
    content = b"a" * (64 * 1024 - 1) + "€ in the kitty\n".encode() + b"b" * (3 * 1024 * 1024)

    response = upload(client_for(personas.staff), cycle, "accounts.txt", content)

    assert response.status_code == 302
    assert Evidence.objects.get().content_type == "text/plain"


def test_upload_exactly_at_limit_accepted(client_for, personas, cycle, settings):
    settings.EVIDENCE_MAX_BYTES = 2000
    response = upload(client_for(personas.staff), cycle, "minutes.txt", b"x" * 2000)

    assert response.status_code == 302
    assert Evidence.objects.get().size == 2000


def test_upload_by_member_marked_as_members(client_for, personas, cycle):
    response = upload(client_for(personas.member), cycle, "minutes.txt", text_bytes())

    assert response.status_code == 302
    assert Evidence.objects.get().added_as == Perspective.MEMBERS


# --- files that are refused -------------------------------------------------------------------

CANNOT_UPLOAD = "This kind of file cannot be uploaded. Upload PDF, Word, Excel"
WRONG_NAME = "The file's name ends in .pdf, but its content is not that kind of file."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("report.pdf", ELF_BYTES, CANNOT_UPLOAD, id="elf-executable-named-pdf"),
        pytest.param("report.pdf", MZ_BYTES, CANNOT_UPLOAD, id="windows-executable-named-pdf"),
        pytest.param("program.exe", MZ_BYTES, CANNOT_UPLOAD, id="windows-executable"),
        pytest.param("report.pdf", image_bytes("PNG"), WRONG_NAME, id="png-named-pdf"),
        pytest.param("minutes.pdf", text_bytes(), WRONG_NAME, id="text-named-pdf"),
        pytest.param("page.html", b"<html><script>alert(1)</script></html>", "name ends in .html", id="html"),
        pytest.param("data.bin", b"\x00\x01\x02\x03" * 50, CANNOT_UPLOAD, id="binary"),
    ],
)
def test_upload_refused_when_content_is_not_allowed(client_for, personas, cycle, media_root, name, content, message):
    response = upload(client_for(personas.staff), cycle, name, content, description="Rota for March")

    assert response.status_code == 400
    assert message in field_error(response, "id_file-file")
    assert "There is a problem" in text(response)
    assert input_value(response, "file-title") == "Kitchen rota"
    assert "Rota for March" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_upload_refused_when_over_size_limit(client_for, personas, cycle, media_root, settings):
    settings.EVIDENCE_MAX_BYTES = 1000

    response = upload(client_for(personas.staff), cycle, "minutes.txt", b"x" * 5000)

    assert response.status_code == 400
    assert field_error(response, "id_file-file") == (
        "Error: The file is 4.9 KB; the most you can upload is 1000 bytes."
    )
    assert input_value(response, "file-title") == "Kitchen rota"
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_upload_form_states_the_size_limit(client_for, personas, cycle, settings):
    settings.EVIDENCE_MAX_BYTES = 5 * 1024 * 1024

    page = client_for(personas.staff).get(evidence_url(cycle))

    assert "up to 5.0 MB" in text(page)


def test_upload_without_title_or_file_refused_with_messages(client_for, personas, cycle, media_root):
    response = client_for(personas.staff).post(evidence_url(cycle), {"add_file": "", "file-title": ""})

    assert response.status_code == 400
    assert field_error(response, "id_file-title") == "Error: Enter title"
    assert field_error(response, "id_file-file") == "Error: Choose file to upload"
    assert not Evidence.objects.exists()


def test_upload_latin_1_text_ending_in_an_accent_refused(client_for, personas, cycle):
    response = upload(client_for(personas.staff), cycle, "notes.txt", "Notes from the café".encode("latin-1"))

    assert response.status_code == 400
    assert not Evidence.objects.exists()
