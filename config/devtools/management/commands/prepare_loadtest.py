"""The posts and accounts the load test enters quarters with (make loadtest).

They live in a département of their own (Vienne, 86) so that the demo's pages
keep their figures. Running the command twice changes nothing.
"""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from config.devtools.demo.partners import DEMO_PASSWORD
from conventions.enums import Force
from conventions.models import Post, PostSite
from partners.enums import OrganisationKind, Role
from partners.models import Organisation, User

DEPARTEMENT = "86"
POSTS = 60
ACCOUNT = "charge.ddsp86"


def post_name(number: int) -> str:
    return f"ISC de charge n° {number:02d}"


class Command(BaseCommand):
    help = "Crée les postes et le compte du test de charge (Vienne, 86). Peut être relancée."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=POSTS)

    @transaction.atomic
    def handle(self, *args, posts, **options):
        police, _ = Organisation.objects.update_or_create(
            kind=OrganisationKind.POLICE,
            departement=DEPARTEMENT,
            name="DDSP de la Vienne (test de charge)",
            defaults={"short_name": "DDSP 86", "city": "POITIERS"},
        )
        employer, _ = Organisation.objects.update_or_create(
            kind=OrganisationKind.ASSOCIATION,
            departement=DEPARTEMENT,
            name="Association de charge 86",
            defaults={"short_name": "Charge 86", "city": "POITIERS"},
        )
        for number in range(1, posts + 1):
            post, _ = Post.objects.update_or_create(
                name=post_name(number),
                departement=DEPARTEMENT,
                defaults={"fte": Decimal(1), "employer": employer},
            )
            PostSite.objects.update_or_create(
                post=post,
                order=1,
                defaults={
                    "name": f"Commissariat de charge {number:02d}",
                    "force": Force.POLICE,
                    "functional_authority": police,
                },
            )
        user, created = User.objects.get_or_create(
            username=ACCOUNT,
            defaults={
                "first_name": "Secrétariat",
                "last_name": "de charge",
                "organisation": police,
                "role": Role.DDSP_SECRETARIAT,
                "email": f"{ACCOUNT}@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write(
            f"Test de charge : {posts} postes dans le département {DEPARTEMENT}, "
            f"compte {ACCOUNT} (mot de passe de démonstration)."
        )
