# Each module registers its models with the admin site.
from activity.admin import grid, records  # noqa: F401
