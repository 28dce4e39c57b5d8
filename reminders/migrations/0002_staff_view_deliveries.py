"""Outreach staff may read the delivery log (counts and statuses, no contacts); and every
existing meeting gets the state reminders compare later changes against."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Outreach staff"


def grant_view(apps, schema_editor):
    app_config = apps.get_app_config("reminders")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="reminders", codename="view_delivery")
    )


def revoke_view(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="reminders")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*perms)


def snapshot_meetings(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    MeetingState = apps.get_model("reminders", "MeetingState")
    MeetingState.objects.bulk_create(
        [
            MeetingState(
                meeting_id=m.pk,
                starts_at=m.starts_at,
                venue_id=m.venue_id,
                status=m.status,
                published=m.published,
            )
            for m in Meeting.objects.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("meetings", "0002_outreach_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_view, revoke_view),
        migrations.RunPython(snapshot_meetings, migrations.RunPython.noop),
    ]
