import os
import tempfile

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


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
    chosen, as on disk), and S3 writes an object whole or not at all. Files are served by our views
    after the permission check, streamed through the app; `url()` gives a signed address that works
    for a minute and makes the browser download the file, for views that prefer to redirect."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "default_acl": None, "file_overwrite": False,
                "querystring_auth": True, "querystring_expire": 60}

    def url(self, name, parameters=None, expire=None, http_method=None):
        attachment = {"ResponseContentDisposition": f'attachment; filename="{os.path.basename(name)}"'}
        return super().url(name, parameters={**attachment, **(parameters or {})}, expire=expire,
                           http_method=http_method)
