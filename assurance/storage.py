import os
import tempfile

from django.core.files.storage import FileSystemStorage


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
