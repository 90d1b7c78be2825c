"""Field helpers shared by the funding models: money and budget years."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)
