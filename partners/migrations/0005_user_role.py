"""The role becomes a field of the user instead of membership of a group named after it.

0002_roles made the five role groups without any Django permission, and no code gives
them one: what a role may do is written in code (the scope of conventions.access, the
admin's ScopedAdminMixin), which only read the role. Each user's role is read from their
group, then the groups are deleted, so that the role field is the only source of a
user's rights. A superuser in a role group keeps that role too; it changes nothing.

What the constraint (a role unless superuser) cannot take as it is:

- a non-superuser in no role group could log in but saw nothing. They get the role
  with the fewest rights, « Partenaire (lecture) », and are deactivated, so that the
  migration grants nobody a right: an administrator picks their role and reactivates
  them in the admin;
- a non-superuser in several role groups had whichever role the database returned
  first: they are treated the same way rather than handed one of the roles at random.

The names of the users so deactivated are printed. A role group to which an
administrator gave Django permissions is left in place with its members (their
rights do not change); it is then an ordinary group.

Backwards, the groups are made again and each user with a role joins its group;
the deactivations are not undone.
"""

from django.db import migrations, models
from django.db.models import Count, Q

# Frozen here: the labels of partners.enums.Role when the groups were made.
GROUP_OF_ROLE = {
    "collectivite": "Collectivité",
    "secretariat_ddsp": "Secrétariat DDSP",
    "coordination_employeur": "Coordination employeur",
    "intervenant_social": "Intervenant social",
    "partenaire_lecture": "Partenaire (lecture)",
}
FEWEST_RIGHTS = "partenaire_lecture"


def roles_from_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("partners", "User")
    role_groups = Group.objects.filter(name__in=GROUP_OF_ROLE.values())
    in_one_role_group = User.objects.annotate(
        role_groups=Count("groups", filter=Q(groups__in=role_groups))
    ).filter(role_groups=1)
    for role, name in GROUP_OF_ROLE.items():
        User.objects.filter(pk__in=in_one_role_group.values("pk"), groups__name=name).update(
            role=role
        )
    unsure = User.objects.filter(is_superuser=False, role="")
    for username in unsure.order_by("username").values_list("username", flat=True):
        print(f"  {username} : rôle « Partenaire (lecture) », compte désactivé, à vérifier")
    unsure.update(role=FEWEST_RIGHTS, is_active=False)
    role_groups.filter(permissions__isnull=True).delete()


def groups_from_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("partners", "User")
    for role, name in GROUP_OF_ROLE.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.user_set.add(*User.objects.filter(role=role))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partners", "0004_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("collectivite", "Collectivité"),
                    ("secretariat_ddsp", "Secrétariat DDSP"),
                    ("coordination_employeur", "Coordination employeur"),
                    ("intervenant_social", "Intervenant social"),
                    ("partenaire_lecture", "Partenaire (lecture)"),
                ],
                max_length=30,
                verbose_name="rôle",
            ),
        ),
        migrations.RunPython(roles_from_groups, groups_from_roles),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_superuser", True), models.Q(("role", ""), _negated=True), _connector="OR"
                ),
                name="partners_user_role_unless_superuser",
                violation_error_message="Chaque utilisateur a un rôle, sauf un administrateur.",
            ),
        ),
    ]
