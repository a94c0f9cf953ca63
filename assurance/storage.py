from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Uploaded files (evidence) never have a public address: they are served only by views
    that check permission. Asking for a URL is a programming error, not a broken link."""

    def url(self, name):
        raise ValueError("Private files have no URL; link to the view that serves them instead.")
