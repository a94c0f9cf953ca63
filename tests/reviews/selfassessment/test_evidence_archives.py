"""Office files are zip archives, and an archive can be a "zip bomb": a small file that unpacks to
gigabytes, or to thousands of parts, to exhaust whoever opens it. Uploaded as evidence, such a file
is refused next to the file field, with nothing stored; a damaged one too; an ordinary document
still goes in. The files are made in memory, the way an attacker would make them."""

import io
import struct
import zipfile
import zlib

import pytest
from django.template.defaultfilters import filesizeformat

from reviews.models import Evidence
from tests.support.documents import stored_files
from tests.support.evidence import field_error, image_bytes, input_value, office_bytes, upload
from tests.support.pages import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

DOCX = "practice-guide.docx"
TOO_BIG = "This file would unpack to more than {limit}, far more than a document of its size holds. Check it is the right file."
DAMAGED = "This file is damaged and cannot be opened. Check it is the right file."
ODT_MIME = b"application/vnd.oasis.opendocument.text"


def with_parts(package, parts, compression=zipfile.ZIP_DEFLATED):
    """An office package with more parts added after its own (so it is still recognised by its first bytes)."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odt_bytes():
    """A minimal OpenDocument text: the `mimetype` part first and stored, as the format requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), ODT_MIME, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument'
                                        ':xmlns:office:1.0"><office:body/></office:document-content>')
    return buffer.getvalue()


PACKAGES = [
    pytest.param(DOCX, lambda: office_bytes("word"), id="docx"),
    pytest.param("rota.xlsx", lambda: office_bytes("xl"), id="xlsx"),
    pytest.param("minutes.odt", odt_bytes, id="odt"),
]


def bomb(package, unpacked=5_000_000):
    """The package with a part of zeros that deflate squeezes a thousand times."""
    return with_parts(package, {"docProps/thumbnail.bin": bytes(unpacked)})


def entry_offsets(content, name):
    """(offset of the part's local header, offset of its central directory entry)."""
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    central = content.index(b"PK\x01\x02")
    while content[central + 46:central + 46 + len(name)] != name.encode():
        central = content.index(b"PK\x01\x02", central + 4)
    return info.header_offset, central


def declaring(content, name, size, crc):
    """The archive with `name` declaring this unpacked size and checksum, in both of its headers."""
    local, central = entry_offsets(content, name)
    patched = bytearray(content)
    struct.pack_into("<II", patched, local + 14, crc, struct.unpack_from("<I", content, local + 18)[0])
    struct.pack_into("<I", patched, local + 22, size)
    struct.pack_into("<I", patched, central + 16, crc)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def with_flag(content, name, offset_in_central, value):
    """The archive with one 2-byte field of `name`'s central directory entry set to `value`."""
    _local, central = entry_offsets(content, name)
    patched = bytearray(content)
    struct.pack_into("<H", patched, central + offset_in_central, value)
    return bytes(patched)


def assert_refused(response, media_root, message):
    assert response.status_code == 400
    assert field_error(response, "id_file-file") == " ".join(f"Error: {message}".split())  # sizes have no-break spaces
    assert "There is a problem" in text(response)
    assert input_value(response, "file-title") == "Kitchen rota"
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


# --- unpacking to far more than the file weighs -----------------------------------------------


@pytest.mark.parametrize(("name", "make"), PACKAGES)
def test_upload_office_file_unpacking_to_over_100_times_its_size_refused(client_for, personas, cycle, media_root, name, make):
    content = bomb(make())

    response = upload(client_for(personas.lead), cycle, name, content)

    assert_refused(response, media_root, TOO_BIG.format(limit=filesizeformat(len(content) * 100)))


def test_upload_office_file_of_many_small_parts_that_add_up_refused(client_for, personas, cycle, media_root):
    content = with_parts(office_bytes("word"), {f"word/media/part{n}.xml": bytes(50_000) for n in range(100)})

    response = upload(client_for(personas.lead), cycle, DOCX, content)

    assert_refused(response, media_root, TOO_BIG.format(limit=filesizeformat(len(content) * 100)))


def test_upload_office_file_unpacking_past_the_site_limit_refused(client_for, personas, cycle, media_root, settings):
    settings.EVIDENCE_MAX_UNPACKED_BYTES = 50_000
    # Stored, not squeezed: the file weighs as much as it unpacks to, so only the site's limit refuses it.
    content = with_parts(office_bytes("word"), {"word/media/image1.png": image_bytes("PNG") * 2000}, zipfile.ZIP_STORED)

    response = upload(client_for(personas.lead), cycle, DOCX, content)

    assert_refused(response, media_root, TOO_BIG.format(limit=filesizeformat(50_000)))


def _unpacking_to(total):
    """A docx whose parts unpack to exactly `total` bytes."""
    package = office_bytes("word")
    own = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(package)).infolist())
    return with_parts(package, {"word/media/padding.bin": b"p" * (total - own)}, zipfile.ZIP_STORED)


def test_upload_office_file_unpacking_to_exactly_the_site_limit_accepted(client_for, personas, cycle, settings):
    settings.EVIDENCE_MAX_UNPACKED_BYTES = 20_000

    response = upload(client_for(personas.lead), cycle, DOCX, _unpacking_to(20_000))

    assert response.status_code == 302
    assert Evidence.objects.get().original_name == DOCX


def test_upload_office_file_unpacking_to_one_byte_past_the_site_limit_refused(client_for, personas, cycle, media_root, settings):
    settings.EVIDENCE_MAX_UNPACKED_BYTES = 20_000

    response = upload(client_for(personas.lead), cycle, DOCX, _unpacking_to(20_001))

    assert_refused(response, media_root, TOO_BIG.format(limit=filesizeformat(20_000)))


# --- too many parts ---------------------------------------------------------------------------


def _made_of(parts):
    package = office_bytes("word")  # three parts of its own
    return with_parts(package, {f"word/parts/p{n}.xml": b"" for n in range(parts - 3)})


def test_upload_office_file_of_more_than_5000_parts_refused(client_for, personas, cycle, media_root):
    response = upload(client_for(personas.lead), cycle, DOCX, _made_of(5001))

    assert_refused(response, media_root, "This file is made of 5001 parts; an office document has far fewer. "
                                         "Check it is the right file.")


def test_upload_office_file_of_5000_parts_accepted(client_for, personas, cycle):
    response = upload(client_for(personas.lead), cycle, DOCX, _made_of(5000))

    assert response.status_code == 302
    assert Evidence.objects.count() == 1


# --- damaged files and lying headers ----------------------------------------------------------


def _lying_about_its_size(crc_of):
    """A docx with a part of 20 MB of spaces (20 KB deflated) whose headers declare 100 bytes."""
    data = b"<w:t>" + b" " * 20_000_000
    content = with_parts(office_bytes("word"), {"word/media/notes.xml": data})
    return declaring(content, "word/media/notes.xml", size=100, crc=zlib.crc32(crc_of(data)))


def _with_checksum_of(other):
    """A docx whose document part declares its true size but the checksum of other data."""
    package = office_bytes("word")
    size = zipfile.ZipFile(io.BytesIO(package)).getinfo("word/document.xml").file_size
    return declaring(package, "word/document.xml", size=size, crc=zlib.crc32(other))


DAMAGED_FILES = [
    pytest.param(lambda: _with_checksum_of(b"something else"), id="wrong checksum"),
    pytest.param(lambda: with_flag(office_bytes("word"), "word/document.xml", 8, 0x1), id="encrypted part"),
    pytest.param(lambda: with_flag(office_bytes("word"), "word/document.xml", 10, 99), id="unknown compression"),
]


@pytest.mark.parametrize("make", DAMAGED_FILES)
def test_upload_damaged_office_file_refused(client_for, personas, cycle, media_root, make):
    response = upload(client_for(personas.lead), cycle, DOCX, make())

    assert_refused(response, media_root, DAMAGED)


def _scrambled():
    """A docx whose document part is not a deflate stream at all."""
    content = with_parts(office_bytes("word"), {"word/media/notes.xml": b"hello " * 1000})
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo("word/media/notes.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    return content[:start] + b"\xff" * info.compress_size + content[start + info.compress_size:]


def test_upload_office_file_with_scrambled_compressed_data_refused(client_for, personas, cycle, media_root):
    response = upload(client_for(personas.lead), cycle, DOCX, _scrambled())

    assert_refused(response, media_root, DAMAGED)


@pytest.mark.parametrize("crc_of", [lambda data: data[:100], lambda data: data], ids=["of its first 100 bytes", "honest"])
def test_upload_office_file_lying_about_its_size_refused_for_what_it_really_unpacks_to(client_for, personas, cycle,
                                                                                       media_root, crc_of):
    """Declares 100 bytes, unpacks to 20 MB: whatever checksum it carries, what counts is what the
    data really inflates to."""
    content = _lying_about_its_size(crc_of=crc_of)

    response = upload(client_for(personas.lead), cycle, DOCX, content)

    assert response.status_code == 400
    assert "would unpack to more than" in field_error(response, "id_file-file")
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_upload_office_file_cut_short_refused(client_for, personas, cycle, media_root):
    whole = with_parts(office_bytes("word"), {"word/media/image1.png": image_bytes("PNG") * 100})

    response = upload(client_for(personas.lead), cycle, DOCX, whole[: len(whole) // 2])

    assert_refused(response, media_root, DAMAGED)


# --- ordinary documents -----------------------------------------------------------------------


def test_upload_ordinary_word_document_with_text_and_a_picture_accepted(client_for, personas, cycle):
    words = " ".join(f"Meeting {n}: residents asked for later breakfast hours and it was agreed." for n in range(400))
    content = with_parts(office_bytes("word"), {
        "word/styles.xml": "<w:styles>" + "<w:style/>" * 50 + "</w:styles>",
        "word/media/image1.png": image_bytes("PNG"),
        "docProps/core.xml": f"<cp:coreProperties><dc:title>{words[:200]}</dc:title></cp:coreProperties>",
        "word/comments.xml": f"<w:comments><w:t>{words}</w:t></w:comments>",
    })

    response = upload(client_for(personas.lead), cycle, DOCX, content)

    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.original_name, item.size) == (DOCX, len(content))
