from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data, the national dataset, the benchmark and the load-test helpers.

    Installed only when ``DEVTOOLS=true`` (``make run``, ``make demo``, ``make bench``,
    ``make loadtest`` and the test settings set it): a production server has none
    of these commands, and no product module imports anything from here.
    """

    name = "config.devtools"
    label = "devtools"
    verbose_name = "Outils de développement"
