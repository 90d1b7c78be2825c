# Each module registers its models with the admin site.
from conventions.admin import conventions, deliberations, funding  # noqa: F401
