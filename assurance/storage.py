import hashlib
import io
import os
import tempfile

from botocore.exceptions import ClientError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

CHUNK = 1024 * 1024


def sha256_of(readable, copy_to=None):
    """(SHA-256 as hex, size in bytes) of what is left to read in `readable`, a chunk at a time so
    no file is held whole in memory; each chunk is also written to `copy_to` when it is given."""
    digest, size = hashlib.sha256(), 0
    while chunk := readable.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest(), size


class PrivateStorage(FileSystemStorage):
    """Uploaded and generated files (evidence, reports).

    They never have a public address: they are served only by views that check permission, so
    asking for a URL is a programming error, not a broken link. And a file appears whole or not
    at all: it is written to a temporary name and renamed, so a process killed half way leaves
    no partial file behind.
    """

    def url(self, name):
        raise ValueError("Private files have no URL; link to the view that serves them instead.")

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        name = self.get_available_name(name)
        full_path = self.path(name)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    file.write(chunk)
            os.chmod(temporary, 0o640)
            os.replace(temporary, full_path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
        return name


class PrivateS3Storage(S3Storage):
    """The same files in S3-compatible object storage, shared by every host (settings: ASSURANCE_S3_*).

    Objects are private (no ACL that grants anyone reading them), never overwritten (a new name is
    chosen, as on disk), and S3 writes an object whole or not at all (a multipart upload that fails
    is aborted). Files are served by our views after the permission check, streamed through the app
    as they are read from S3 (`open(name, "rb")`); `url()` gives a signed address that works for a
    minute and makes the browser download the file, for views that prefer to redirect."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "default_acl": None, "file_overwrite": False,
                "querystring_auth": True, "querystring_expire": 60}

    def url(self, name, parameters=None, expire=None, http_method=None):
        attachment = {"ResponseContentDisposition": f'attachment; filename="{os.path.basename(name)}"'}
        return super().url(name, parameters={**attachment, **(parameters or {})}, expire=expire,
                           http_method=http_method)

    def _open(self, name, mode="rb"):
        if mode != "rb":
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        stored = self.bucket.Object(key)
        try:
            stored.load()
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from error
            raise
        return File(ObjectStream(stored), name=name)


class ObjectStream(io.RawIOBase):
    """An S3 object read as it is sent on, never held whole in memory or on disk (django-storages'
    own file downloads the whole object first). It can seek, so a download can give its length:
    reading again from elsewhere starts a new ranged GET, of the same version of the object."""

    def __init__(self, stored):
        super().__init__()
        self._stored = stored
        self.size = stored.content_length
        self._position = 0
        self._body = None

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        start = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        position = max(start + offset, 0)
        if position != self._position:
            self._stop_reading()
            self._position = position
        return self._position

    def readinto(self, buffer):
        if self._position >= self.size:
            return 0
        if self._body is None:
            self._body = self._stored.get(Range=f"bytes={self._position}-", IfMatch=self._stored.e_tag)["Body"]
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self):
        self._stop_reading()
        super().close()

    def _stop_reading(self):
        if self._body is not None:
            self._body.close()
            self._body = None
