"""The staff group's name is shown in the admin in Spanish and English alike: give it both."""

from django.db import migrations

OLD = "Outreach staff"
NEW = "Personal de reuniones / Outreach staff"


def rename(apps, schema_editor, old=OLD, new=NEW):
    apps.get_model("auth", "Group").objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_policy_statement"), ("reminders", "0002_staff_view_deliveries")]

    operations = [migrations.RunPython(rename, rename_back)]
