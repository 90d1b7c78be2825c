"""The role is a field of the user: held by the database, set by the admin, migrated from
the groups that used to carry it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from config.devtools.demo.partners import ACCOUNTS
from partners.enums import Role
from partners.models import User
from tests.partners.factories import OrganisationFactory, UserFactory

BEFORE = [("partners", "0004_history")]
# The groups of before the role field (0005); the gendarmerie secretariat came later.
GROUP_OF_ROLE = {
    Role.LOCAL_AUTHORITY: "Collectivité",
    Role.DDSP_SECRETARIAT: "Secrétariat DDSP",
    Role.EMPLOYER_COORDINATION: "Coordination employeur",
    Role.SOCIAL_WORKER: "Intervenant social",
    Role.READ_ONLY_PARTNER: "Partenaire (lecture)",
}


# The constraint ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_a_user_without_role_who_is_not_a_superuser():
    with (
        pytest.raises(IntegrityError, match="partners_user_role_unless_superuser"),
        transaction.atomic(),
    ):
        UserFactory(role="")


@pytest.mark.django_db
def test_a_superuser_needs_no_role():
    assert UserFactory(admin=True).role == ""


@pytest.mark.django_db
def test_validation_explains_in_french_that_a_user_needs_a_role():
    user = UserFactory.build(organisation=OrganisationFactory(), role="")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert error.value.messages == ["Chaque utilisateur a un rôle, sauf un administrateur."]


@pytest.mark.django_db
def test_the_demo_accounts_get_their_role():
    call_command("load_demo", stdout=io.StringIO())
    roles = dict(
        User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).values_list("username", "role")
    )
    assert roles == {username: role or "" for username, *_, role in ACCOUNTS}


# The admin -----------------------------------------------------------------------------


def add_user(client, **fields):
    return client.post(
        reverse("admin:partners_user_add"),
        {
            "username": "nouvelle.collegue",
            "usable_password": "true",
            "password1": "un mot de passe solide",
            "password2": "un mot de passe solide",
            **fields,
        },
    )


@pytest.mark.django_db
def test_the_admin_adds_a_user_with_their_organisation_and_role(client, admin_user):
    organisation = OrganisationFactory()
    client.force_login(admin_user)
    response = add_user(client, organisation=organisation.pk, role=Role.LOCAL_AUTHORITY)
    assert response.status_code == 302
    user = User.objects.get(username="nouvelle.collegue")
    assert (user.organisation, user.role) == (organisation, Role.LOCAL_AUTHORITY)


@pytest.mark.django_db
def test_the_admin_add_form_refuses_a_user_without_role_in_french(client, admin_user):
    client.force_login(admin_user)
    response = add_user(client, organisation=OrganisationFactory().pk, role="")
    assert response.status_code == 200
    assert "Chaque utilisateur a un rôle, sauf un administrateur." in response.content.decode()
    assert not User.objects.filter(username="nouvelle.collegue").exists()


@pytest.mark.django_db
def test_the_admin_filters_users_by_role(client, admin_user):
    ddsp = UserFactory(role=Role.DDSP_SECRETARIAT)
    UserFactory(role=Role.SOCIAL_WORKER)
    client.force_login(admin_user)
    response = client.get(reverse("admin:partners_user_changelist"), {"role": ddsp.role})
    assert list(response.context["cl"].result_list) == [ddsp]


# The migration -------------------------------------------------------------------------


@pytest.fixture
def migrator(transactional_db):
    """Migrates partners back to before the role field; puts every app back afterwards."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(latest)


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# Serialized rollback: the flush at the end empties the tables; the next tests find the
# content types, permissions and statistics grid of the migrations again.
def migration_test(test):
    return pytest.mark.migrations(
        pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)
    )


@migration_test
def test_the_migration_gives_each_user_the_role_of_their_group(migrator, capsys):
    apps = migrator.loader.project_state(BEFORE).apps
    Group = apps.get_model("auth", "Group")
    OldUser = apps.get_model("partners", "User")
    organisation = apps.get_model("partners", "Organisation").objects.create(
        name="Commune de Niort", kind="commune", departement="79"
    )
    for role, name in GROUP_OF_ROLE.items():
        user = OldUser.objects.create(username=f"compte.{role}", organisation=organisation)
        user.groups.add(Group.objects.get(name=name))
    OldUser.objects.create(username="admin", is_superuser=True)

    migrate_forward()

    assert dict(User.objects.values_list("username", "role")) == {
        **{f"compte.{role}": role for role in GROUP_OF_ROLE},
        "admin": "",
    }
    assert User.objects.filter(is_active=False).count() == 0
    assert not Group.objects.filter(name__in=GROUP_OF_ROLE.values()).exists()
    assert capsys.readouterr().out == ""


@migration_test
def test_the_migration_deactivates_a_user_with_no_role_group_or_several(migrator, capsys):
    apps = migrator.loader.project_state(BEFORE).apps
    Group = apps.get_model("auth", "Group")
    OldUser = apps.get_model("partners", "User")
    organisation = apps.get_model("partners", "Organisation").objects.create(
        name="Commune de Niort", kind="commune", departement="79"
    )
    OldUser.objects.create(username="sans.role", organisation=organisation)
    both = OldUser.objects.create(username="deux.roles", organisation=organisation)
    both.groups.add(*Group.objects.filter(name__in=["Collectivité", "Secrétariat DDSP"]))

    migrate_forward()

    # The role with the fewest rights satisfies the constraint; deactivated, they use none.
    assert set(User.objects.values_list("username", "role", "is_active")) == {
        ("sans.role", Role.READ_ONLY_PARTNER, False),
        ("deux.roles", Role.READ_ONLY_PARTNER, False),
    }
    printed = capsys.readouterr().out
    assert "sans.role" in printed and "deux.roles" in printed


@migration_test
def test_the_migration_keeps_a_role_group_an_administrator_gave_permissions_to(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    OldUser = apps.get_model("partners", "User")
    organisation = apps.get_model("partners", "Organisation").objects.create(
        name="France Victimes 79", kind="association", departement="79"
    )
    coordination = Group.objects.get(name="Coordination employeur")
    coordination.permissions.add(Permission.objects.get(codename="view_organisation"))
    user = OldUser.objects.create(username="fv79", organisation=organisation, is_staff=True)
    user.groups.add(coordination)

    migrate_forward()

    user = User.objects.get(username="fv79")
    assert user.role == Role.EMPLOYER_COORDINATION
    assert user.has_perm("partners.view_organisation")
    assert [g.name for g in user.groups.all()] == ["Coordination employeur"]


@migration_test
def test_migrating_back_puts_each_user_in_the_group_of_their_role(transactional_db):
    UserFactory(username="ville", role=Role.LOCAL_AUTHORITY)
    UserFactory(username="ddsp", role=Role.DDSP_SECRETARIAT)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        members = apps.get_model("partners", "User").groups.through.objects.values_list(
            "user__username", "group__name"
        )
        assert set(members) == {("ville", "Collectivité"), ("ddsp", "Secrétariat DDSP")}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
