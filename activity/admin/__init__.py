# Each module registers its models with the admin site.
from . import (
    grid,  # noqa: F401
    records,  # noqa: F401
)
