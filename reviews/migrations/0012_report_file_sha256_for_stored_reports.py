"""Records the SHA-256 of every report stored before reports kept it, so that their files can be
verified too (after a restore, by verify_stored_files). A report whose file is missing is left
without one: it is named by verify_stored_files instead of being given a hash of nothing."""

import hashlib

from django.core.files.storage import default_storage
from django.db import migrations

CHUNK = 1024 * 1024


def record_file_hashes(apps, schema_editor):
    Report = apps.get_model("reviews", "Report")
    unhashed = Report.objects.using(schema_editor.connection.alias).filter(file_sha256="").exclude(file="")
    for report in unhashed.only("pk", "file").iterator(chunk_size=200):
        digest = hashlib.sha256()
        try:
            with default_storage.open(report.file.name, "rb") as stored:
                while chunk := stored.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            continue
        Report.objects.using(schema_editor.connection.alias).filter(pk=report.pk).update(file_sha256=digest.hexdigest())


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0011_evidence_file_removed_at_and_more"),
    ]

    operations = [
        migrations.RunPython(record_file_hashes, migrations.RunPython.noop),
    ]
