from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class DevtoolsConfig(AppConfig):
    """Demo data, the national dataset, the benchmark and the load-test helpers.

    Installed only when ``DEVTOOLS=true`` (``make run``, ``make demo``, ``make bench``,
    ``make loadtest`` and the test settings set it): a production server has none
    of these commands, and no product module imports anything from here.
    """

    name = "config.devtools"
    label = "devtools"
    verbose_name = "Outils de développement"

    def ready(self):
        checks.register(devtools_outside_development, checks.Tags.security, deploy=True)


def devtools_outside_development(app_configs, **kwargs):
    """``check --deploy`` warns when the dev tools are installed with DEBUG off: on a
    server, ``load_demo`` would create the demo accounts, whose passwords are public.
    (``make bench`` and ``make loadtest`` run so on purpose, and never check --deploy.)"""
    if settings.DEBUG:
        return []
    return [
        checks.Warning(
            "DEVTOOLS est actif hors développement : load_demo pourrait créer les comptes "
            "de démonstration, dont les mots de passe sont publics.",
            hint="Retirez DEVTOOLS=true de l'environnement d'un serveur de production.",
            id="devtools.W001",
        )
    ]
