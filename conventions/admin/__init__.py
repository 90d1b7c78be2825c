# Each module registers its models with the admin site.
from . import conventions, funding  # noqa: F401
