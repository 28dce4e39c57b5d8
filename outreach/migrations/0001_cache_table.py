"""The database cache's table (settings.CACHES "database"): the local shared cache, and where
rate-limit counters go while Redis is unreachable. A migration, so `migrate` is all a deploy
runs."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
