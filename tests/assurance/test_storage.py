"""sha256_of, the one way a file is hashed (evidence uploads, backups and their checks): read a
chunk at a time, with the size, and copied on as it is read when asked."""

import hashlib
import io

from assurance.storage import CHUNK, sha256_of


def test_sha256_of_reads_every_chunk_and_copies_what_it_reads():
    content = bytes(range(256)) * (CHUNK // 128 + 3)  # two chunks and a part of a third
    copy = io.BytesIO()

    found = sha256_of(io.BytesIO(content), copy_to=copy)

    assert found == (hashlib.sha256(content).hexdigest(), len(content))
    assert copy.getvalue() == content


def test_sha256_of_an_empty_file_and_of_what_is_left_to_read():
    readable = io.BytesIO(b"header:body")
    readable.read(len("header:"))

    assert sha256_of(io.BytesIO()) == (hashlib.sha256(b"").hexdigest(), 0)
    assert sha256_of(readable) == (hashlib.sha256(b"body").hexdigest(), 4)
