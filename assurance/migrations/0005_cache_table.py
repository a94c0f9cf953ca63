"""The database cache's table (`assurance_cache`, settings.CACHES), made by `migrate` so that no
deployment step can forget it, whatever cache this process is set to use: a site switched from
ASSURANCE_CACHE=memory back to the database needs nothing more. A table that exists is left alone."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

CACHE_TABLE = "assurance_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


class Migration(migrations.Migration):
    dependencies = [("assurance", "0004_user_erased_at")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
