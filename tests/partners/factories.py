import factory

from config.devtools.demo.partners import demo_siret
from partners.enums import Civility, OrganisationKind, Role
from partners.models import Organisation, Representative, User
from tests.images import PNG_LOGO


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.COMMUNE
    departement = "79"
    street = "1 place de la Mairie"
    postal_code = "79000"
    city = "NIORT"
    siret = factory.Sequence(lambda n: demo_siret(f"8{n:05d}"))

    class Params:
        prefecture = factory.Trait(kind=OrganisationKind.STATE)
        ddsp = factory.Trait(kind=OrganisationKind.POLICE)
        groupement = factory.Trait(kind=OrganisationKind.GENDARMERIE)
        association = factory.Trait(kind=OrganisationKind.ASSOCIATION)
        departement_council = factory.Trait(kind=OrganisationKind.DEPARTEMENT)
        epci = factory.Trait(kind=OrganisationKind.EPCI)
        val_doise = factory.Trait(departement="95", postal_code="95000", city="Cergy")
        # A logo and an address block, which its documents print (partners.letterhead).
        letterhead = factory.Trait(
            logo=factory.django.FileField(data=PNG_LOGO, filename="logo.png"),
            address_block="Direction de la prévention\n1 place de la Mairie\n79000 Niort",
        )


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    organisation = factory.SubFactory(OrganisationFactory)
    civility = Civility.MRS
    first_name = "Anne"
    last_name = factory.Sequence(lambda n: f"Représentante{n}")
    title = "Maire"


class UserFactory(factory.django.DjangoModelFactory):
    """A partner who reads (``role=Role.DDSP_SECRETARIAT`` for another role); ``admin=True``
    for a superuser, without organisation nor role."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.READ_ONLY_PARTNER
    password = factory.django.Password("convention-demo")

    class Params:
        admin = factory.Trait(organisation=None, role="", is_superuser=True, is_staff=True)
        # An organisation's referent: invites colleagues (partners.invitations).
        referent = factory.Trait(is_referent=True, role=Role.LOCAL_AUTHORITY)
