"""Roles as the scope tests group them."""

from partners.enums import Role

# The roles bound to their organisation's département (the ``two_departements`` world has
# a user of each in each département). The national steering reads the whole country:
# tests/security/test_national_steering.py.
DEPARTEMENTAL_ROLES = [role for role in Role if role != Role.NATIONAL_STEERING]
