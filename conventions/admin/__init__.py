# Each module registers its models with the admin site.
from . import (
    conventions,  # noqa: F401
    deliberations,  # noqa: F401
    funding,  # noqa: F401
)
