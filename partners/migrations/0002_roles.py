from django.db import migrations

ROLE_GROUPS = [
    "Collectivité",
    "Secrétariat DDSP",
    "Coordination employeur",
    "Intervenant social",
    "Partenaire (lecture)",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
