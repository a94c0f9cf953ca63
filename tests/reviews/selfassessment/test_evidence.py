"""Evidence: uploading files and adding links on a cycle's evidence page, judged by what the file
is rather than what it is called; files kept privately and handed out only to people allowed to
see them; one item supporting several criteria; and the way back to the answers after adding."""

import hashlib
import html
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reviews.errors import ReviewError
from reviews.models import CycleState, Evidence, Perspective, SelfRating, TeamMember, TeamRole, Visit
from reviews.selfassessment.services import add_file_evidence, add_link_evidence
from standards.models import Criterion, RatingLevel
from tests.assurance.pages import table_rows, text
from tests.factories import CycleFactory, ServiceFactory, build_edition

pytestmark = pytest.mark.django_db


# --- real files, made in memory ---------------------------------------------------------------


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


OFFICE_PARTS = {
    "word": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Our practice guide</w:t></w:r></w:p></w:body></w:document>",
    ),
    "xl": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheets><sheet name="Rota" sheetId="1"/></sheets></workbook>',
    ),
}


def office_bytes(kind):
    """A minimal Office Open XML package: [Content_Types].xml first, as Word and Excel write it."""
    part, content_type, xml = OFFICE_PARTS[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="' + part + '" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", rels)
        package.writestr(part, xml)
    return buffer.getvalue()


def image_bytes(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (0, 110, 120)).save(buffer, format=image_format)
    return buffer.getvalue()


def text_bytes():
    return "Community meeting, Tuesday\n1. Café opening hours: members proposed a change; agreed.\n".encode()


ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
MZ_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100

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


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cycle(personas):
    """Kestrel Wing's open cycle. Staff rate V1.1, V1.3, V2.1, V2.3; members V1.2, V1.3, V2.2, V2.3."""
    return CycleFactory(service=personas.home, edition=build_edition(values=2, criteria_per_value=3))


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def evidence_url(cycle, next_url=None):
    url = reverse("reviews:evidence", args=[cycle.pk])
    return f"{url}?next={next_url}" if next_url is not None else url


def download_url(item):
    return reverse("reviews:evidence-download", args=[item.cycle_id, item.pk])


def upload(client, cycle, name, content, title="Kitchen rota", description="", url=None):
    return client.post(
        url or evidence_url(cycle),
        {
            "add_file": "",
            "file-title": title,
            "file-file": SimpleUploadedFile(name, content),
            "file-description": description,
            "file-effective_date": "",
        },
    )


def add_link(client, cycle, address, title="'You said, we did' board", url=None):
    return client.post(
        url or evidence_url(cycle),
        {"add_link": "", "link-title": title, "link-url": address, "link-description": "", "link-effective_date": ""},
    )


def field_error(response, field_id):
    """The words of the error message shown with a field ("" if there is none)."""
    match = re.search(
        rf'<p class="error-message" id="{re.escape(field_id)}_error">(.*?)</p>', response.content.decode(), re.DOTALL
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""


def input_value(response, name):
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', response.content.decode())
    assert match, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else ""


def file_item(cycle, person, added_as=Perspective.STAFF, name="minutes.txt", content=b"Minutes of the meeting.\n"):
    return add_file_evidence(
        cycle=cycle, added_by=person, added_as=added_as, upload=SimpleUploadedFile(name, content),
        detected_type="text/plain", title=f"{added_as} {name}",
    )


def download(client, item):
    """(status, body, response) of a download. Reading the body in full lets the test client close
    the file (closing the response by hand would also close the test's database connection)."""
    response = client.get(download_url(item))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body, response


def submit(cycle):
    cycle.state = CycleState.SELF_ASSESSMENT_SUBMITTED
    cycle.save(update_fields=["state"])


def on_visit_team(cycle, person):
    visit, _created = Visit.objects.get_or_create(cycle=cycle)
    TeamMember.objects.create(visit=visit, user=person, role=TeamRole.PEER_REVIEWER)


def criterion(cycle, code):
    return Criterion.objects.get(edition=cycle.edition, code=code)


def top_level(cycle):
    return RatingLevel.objects.filter(edition=cycle.edition).order_by("-value").first()


def step_url(cycle, perspective, step):
    return reverse("reviews:answer-step", args=[cycle.pk, perspective, step])


def wizard_post(client, cycle, step, answers, perspective=Perspective.STAFF, **buttons):
    """Posts a wizard step: answers is {criterion: (level, [evidence, ...])}."""
    data = {f"answers-{cycle.pk}-{perspective}-current_step": step, **buttons}
    for answered, (level, items) in answers.items():
        prefix = f"{step}-c{answered.pk}_"
        data[prefix + "level"] = str(level.pk)
        data[prefix + "evidence"] = [str(item.pk) for item in items]
        data[prefix + "narrative"] = "Shown in the minutes."
        data[prefix + "version"] = "0"
    return client.post(step_url(cycle, perspective, step), data)


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
    assert download(client, item)[:2] == (200, content)


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
    assert field_error(response, "id_file-title") == "Error: This field is required."
    assert field_error(response, "id_file-file") == "Error: This field is required."
    assert not Evidence.objects.exists()


# --- where files are kept and who may have them -----------------------------------------------


def test_uploaded_file_kept_privately_under_a_name_of_its_own(client_for, personas, cycle, media_root):
    client = client_for(personas.staff)

    upload(client, cycle, "Jordan Lee support plan.txt", text_bytes())

    item = Evidence.objects.get()
    assert item.original_name == "Jordan Lee support plan.txt"
    assert stored_files(media_root) == [item.file.name]
    assert item.file.name.startswith(f"evidence/cycle-{cycle.pk}/")
    assert "jordan" not in item.file.name.lower() and "plan" not in item.file.name.lower()
    assert item.file.name not in client.get(evidence_url(cycle)).content.decode()
    for address in ("/" + item.file.name, "/media/" + item.file.name, "/static/" + item.file.name):
        assert client.get(address).status_code == 404, address


def test_uploaded_file_has_no_public_url(client_for, personas, cycle):
    upload(client_for(personas.staff), cycle, "minutes.txt", text_bytes())

    with pytest.raises(ValueError, match="Private files have no URL"):
        Evidence.objects.get().file.url  # noqa: B018 - asking for the address is the test


def test_download_is_an_attachment_that_browsers_will_not_run(client_for, personas, cycle):
    content = b"<script>alert('hello')</script>\n"
    item = file_item(cycle, personas.staff, name="notes.txt", content=content)

    status, body, response = download(client_for(personas.staff), item)

    assert (status, body) == (200, content)
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


DOWNLOADS = {
    # persona: (may download the staff's item, may download the members' item)
    "admin": (True, True),
    "lead": (True, True),
    "staff": (True, True),
    "member": (False, True),
    "reviewer": (False, False),
    "lived_experience_reviewer": (False, False),
    "lead_reviewer": (False, False),
    "commissioner": (False, False),
    "outsider": (False, False),
}


@pytest.mark.parametrize("who", DOWNLOADS)
def test_download_allowed_only_to_those_who_may_see_it(client_for, personas, cycle, who):
    staff_item = file_item(cycle, personas.staff, Perspective.STAFF)
    members_item = file_item(cycle, personas.member, Perspective.MEMBERS)
    submit(cycle)  # reviewers not on the team stay out even once it is submitted
    client = client_for(getattr(personas, who))

    statuses = tuple(download(client, item)[0] for item in (staff_item, members_item))

    assert statuses == tuple(200 if allowed else 404 for allowed in DOWNLOADS[who])


def test_download_by_reviewer_on_team_only_once_submitted(client_for, personas, cycle):
    staff_item = file_item(cycle, personas.staff, Perspective.STAFF)
    members_item = file_item(cycle, personas.member, Perspective.MEMBERS)
    on_visit_team(cycle, personas.reviewer)
    client = client_for(personas.reviewer)

    before = [download(client, item)[0] for item in (staff_item, members_item)]
    submit(cycle)
    after = [download(client, item)[:2] for item in (staff_item, members_item)]

    assert before == [404, 404]
    assert after == [(200, b"Minutes of the meeting.\n")] * 2


def test_download_signed_out_goes_to_sign_in(client, personas, cycle):
    item = file_item(cycle, personas.staff)

    response = client.get(download_url(item))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_download_of_another_cycles_item_through_this_cycle_is_404(client_for, personas, cycle):
    other_cycle = CycleFactory(service=personas.other, edition=cycle.edition)
    theirs = file_item(other_cycle, personas.admin)
    url = reverse("reviews:evidence-download", args=[cycle.pk, theirs.pk])

    assert client_for(personas.staff).get(url).status_code == 404


def test_download_of_a_link_is_404(client_for, personas, cycle):
    link = add_link_evidence(
        cycle=cycle, added_by=personas.staff, added_as=Perspective.STAFF, url="https://example.org/", title="Board"
    )

    assert client_for(personas.staff).get(download_url(link)).status_code == 404


def test_evidence_page_for_member_lists_only_members_items(client_for, personas, cycle):
    file_item(cycle, personas.staff, Perspective.STAFF, name="staff-rota.txt")
    file_item(cycle, personas.member, Perspective.MEMBERS, name="our-letter.txt")

    words = text(client_for(personas.member).get(evidence_url(cycle)))

    assert "members our-letter.txt" in words
    assert "staff-rota" not in words


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


# --- one item, several criteria ---------------------------------------------------------------


def test_evidence_linked_through_wizard_listed_on_each_criterion(client_for, personas, cycle):
    client = client_for(personas.staff)
    item = file_item(cycle, personas.staff)
    first, second, unlinked = (criterion(cycle, code) for code in ("V1.1", "V1.3", "V2.1"))
    met = top_level(cycle)

    response = wizard_post(client, cycle, "V1", {first: (met, [item]), second: (met, [item])})

    assert response.status_code == 302
    assert set(item.self_ratings.values_list("criterion__code", flat=True)) == {"V1.1", "V1.3"}
    evidence_rows = table_rows(client.get(evidence_url(cycle)))
    assert evidence_rows[0].startswith(item.title)
    assert "V1.1, V1.3" in evidence_rows[0]
    answers = client.get(reverse("reviews:answers", args=[cycle.pk, Perspective.STAFF])).content.decode()
    assert item.title in answer_row(answers, first.code)
    assert item.title in answer_row(answers, second.code)
    assert item.title not in answer_row(answers, unlinked.code)


def answer_row(page_html, code):
    match = re.search(rf'<tr id="answer-{re.escape(code)}">(.*?)</tr>', page_html, re.DOTALL)
    assert match, code
    return match.group(1)


def test_evidence_linked_by_staff_and_members_lists_both_codes(client_for, personas, cycle):
    item = file_item(cycle, personas.member, Perspective.MEMBERS)
    staff_answer = SelfRating.objects.create(
        cycle=cycle, criterion=criterion(cycle, "V1.1"), perspective=Perspective.STAFF, level=top_level(cycle)
    )
    members_answer = SelfRating.objects.create(
        cycle=cycle, criterion=criterion(cycle, "V2.2"), perspective=Perspective.MEMBERS, level=top_level(cycle)
    )
    staff_answer.evidence.add(item)
    members_answer.evidence.add(item)

    rows = table_rows(client_for(personas.staff).get(evidence_url(cycle)))

    assert len(rows) == 1
    assert "V1.1, V2.2" in rows[0]


def test_evidence_not_linked_yet_says_so(client_for, personas, cycle):
    file_item(cycle, personas.staff)

    rows = table_rows(client_for(personas.staff).get(evidence_url(cycle)))

    assert "Not linked yet" in rows[0]


# --- once submitted ---------------------------------------------------------------------------


def test_evidence_cannot_be_added_once_submitted(client_for, personas, cycle, media_root):
    submit(cycle)
    client = client_for(personas.lead)

    page = client.get(evidence_url(cycle))
    file_response = upload(client, cycle, "minutes.txt", text_bytes())
    link_response = add_link(client, cycle, "https://example.org/")

    assert page.status_code == 200
    assert "Upload a file" not in text(page)
    assert "Add a link" not in text(page)
    assert (file_response.status_code, link_response.status_code) == (404, 404)
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_evidence_service_refuses_once_submitted(personas, cycle, media_root):
    submit(cycle)

    with pytest.raises(ReviewError, match="evidence can no longer be added"):
        file_item(cycle, personas.lead)
    with pytest.raises(ReviewError, match="evidence can no longer be added"):
        add_link_evidence(
            cycle=cycle, added_by=personas.lead, added_as=Perspective.STAFF, url="https://example.org/", title="x"
        )
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("who", ["reviewer", "commissioner", "outsider"])
def test_evidence_cannot_be_added_by_people_outside_the_service(client_for, personas, cycle, who):
    on_visit_team(cycle, personas.reviewer)

    response = upload(client_for(getattr(personas, who)), cycle, "minutes.txt", text_bytes())

    assert response.status_code == 404
    assert not Evidence.objects.exists()


# --- "Save and add evidence", and back ---------------------------------------------------------


def test_save_and_add_evidence_saves_then_returns_to_the_step(client_for, personas, cycle):
    client = client_for(personas.staff)
    answered = criterion(cycle, "V2.1")
    step = step_url(cycle, Perspective.STAFF, "V2")

    response = wizard_post(client, cycle, "V2", {answered: (top_level(cycle), [])}, add_evidence="")

    assert response.status_code == 302
    assert response.url == evidence_url(cycle, next_url=step)
    assert SelfRating.objects.get(criterion=answered).level == top_level(cycle)
    page = client.get(response.url)
    assert f'<a class="button button--secondary" href="{step}">Back to your answers</a>' in page.content.decode()

    added = add_link(client, cycle, "https://example.org/minutes", title="Minutes online", url=response.url)

    assert added.status_code == 302
    assert added.url == step
    back = client.get(step)
    item = Evidence.objects.get()
    assert "“Minutes online” is added" in text(back)
    assert f'name="V2-c{answered.pk}_evidence" value="{item.pk}"' in back.content.decode()
    assert 'checked' in re.search(
        rf'<input[^>]*name="V2-c{answered.pk}_level"[^>]*value="{top_level(cycle).pk}"[^>]*>', back.content.decode()
    ).group(0)


def test_save_and_add_evidence_file_upload_returns_to_the_step(client_for, personas, cycle):
    client = client_for(personas.staff)
    step = step_url(cycle, Perspective.STAFF, "V1")

    response = upload(client, cycle, "minutes.txt", text_bytes(), url=evidence_url(cycle, next_url=step))

    assert response.status_code == 302
    assert response.url == step


def test_refused_upload_keeps_the_way_back(client_for, personas, cycle):
    client = client_for(personas.staff)
    step = step_url(cycle, Perspective.STAFF, "V1")

    response = upload(client, cycle, "report.pdf", ELF_BYTES, url=evidence_url(cycle, next_url=step))

    assert response.status_code == 400
    assert f'href="{step}">Back to your answers' in response.content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/steal", "//evil.example/steal", "javascript:alert(1)", "http://testserver@evil.example/"]
)
def test_next_pointing_elsewhere_ignored(client_for, personas, cycle, next_url):
    client = client_for(personas.staff)

    page = client.get(evidence_url(cycle, next_url=next_url))
    response = add_link(client, cycle, "https://example.org/", url=evidence_url(cycle, next_url=next_url))

    assert "Back to your answers" not in text(page)
    assert "evil.example" not in page.content.decode()
    assert response.status_code == 302
    assert response.url == evidence_url(cycle)


def test_member_added_evidence_offered_on_members_step(client_for, personas, cycle):
    client = client_for(personas.member)
    add_link(client, cycle, "https://example.org/letter", title="Our letter")
    file_item(cycle, personas.staff, Perspective.STAFF, name="staff-only.txt")

    page = client.get(step_url(cycle, Perspective.MEMBERS, "V1")).content.decode()

    assert "Our letter" in page
    assert "staff-only" not in page


def test_evidence_of_another_service_cannot_be_linked(client_for, personas, cycle):
    other_cycle = CycleFactory(service=ServiceFactory(), edition=cycle.edition)
    theirs = file_item(other_cycle, personas.admin)
    answered = criterion(cycle, "V1.1")

    response = wizard_post(client_for(personas.staff), cycle, "V1", {answered: (top_level(cycle), [theirs])})

    assert response.status_code == 200
    assert "That evidence item is not part of this self-assessment." in text(response)
    assert not SelfRating.objects.exists()


def test_upload_latin_1_text_ending_in_an_accent_refused(client_for, personas, cycle):
    response = upload(client_for(personas.staff), cycle, "notes.txt", "Notes from the café".encode("latin-1"))

    assert response.status_code == 400
    assert not Evidence.objects.exists()
