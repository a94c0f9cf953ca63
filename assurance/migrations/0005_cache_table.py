"""The database cache's table (settings.CACHES), made by `migrate` so that no deployment step
can forget it; createcachetable leaves a table that exists alone."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("assurance", "0004_user_erased_at")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
