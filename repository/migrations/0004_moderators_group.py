from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("repository", "practice", ["view", "change"]),
    ("repository", "moderationevent", ["view"]),
]


def create_moderators(apps, schema_editor):
    """The group whose members (with superusers) may review and decide submissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="moderators")
    for app_label, model, actions in MODERATOR_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(permission)


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("repository", "0003_submissions"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
