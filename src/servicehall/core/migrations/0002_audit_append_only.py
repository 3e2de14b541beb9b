from django.conf import settings
from django.db import migrations

from servicehall.core.dbguard import install_guard, remove_guard


def install(apps, schema_editor):
    if getattr(settings, "AUDIT_DB_GUARD", True):
        install_guard(schema_editor.connection)


def remove(apps, schema_editor):
    remove_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
