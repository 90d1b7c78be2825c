"""What the resources of the API share."""

import datetime

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.validators import validate_departement_code


class LazyIds:
    """The ids of a queryset, read at the first membership test, once (a page of a list
    asks it for each row; a detail page may never ask)."""

    def __init__(self, queryset):
        self._queryset, self._ids = queryset, None

    def __contains__(self, pk) -> bool:
        if self._ids is None:
            self._ids = set(self._queryset.values_list("pk", flat=True))
        return pk in self._ids


class OrganisationRefSerializer(serializers.Serializer):
    """An organisation named where it appears; ``/api/v1/organisations/{id}/`` says more."""

    id = serializers.IntegerField(read_only=True)
    nom = serializers.CharField(source="name", read_only=True)


# The largest id a database column holds (PostgreSQL's integer): a bigger one in an
# address or a filter is refused (400, 404) before it reaches the database.
MAX_ID = 2**31 - 1


class IdConverter:
    """``<id:pk>`` in the API's addresses: an identifier of at most nine digits."""

    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def bounded_filter(minimum: int, maximum: int, **kwargs) -> IntegerFilter:
    """A whole number between two bounds, refused (400) outside them, and described with
    them in the OpenAPI description."""
    return extend_schema_field({"type": "integer", "minimum": minimum, "maximum": maximum})(
        IntegerFilter(min_value=minimum, max_value=maximum, **kwargs)
    )


DEPARTEMENT_PATTERN = "^(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])$"


def departement_filter(**kwargs) -> django_filters.CharFilter:
    """A département code (79, 2A, 971), refused (400) otherwise."""
    kwargs.setdefault("help_text", "Code du département : 79, 2A, 971…")
    return extend_schema_field({"type": "string", "pattern": DEPARTEMENT_PATTERN})(
        django_filters.CharFilter(validators=[validate_departement_code], **kwargs)
    )


class InstantField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 instant, read in UTC: PostgreSQL refuses an offset beyond ±15:59 that
    Python accepts, and a date before 1900 or after 2200 means nothing here."""

    def clean(self, value):
        instant = super().clean(value)
        if instant is None:
            return None
        if not 1900 <= instant.year <= 2200:
            raise forms.ValidationError("Indiquez une date entre 1900 et 2200.")
        return instant.astimezone(datetime.UTC)


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


def since_filter(field_name: str, what: str) -> InstantFilter:
    """``?modifiee_depuis=2027-01-31T00:00:00+01:00``: what changed since that instant."""
    return InstantFilter(
        field_name=field_name,
        lookup_expr="gte",
        help_text=f"{what} depuis cet instant (ISO 8601 : 2027-01-31T00:00:00+01:00).",
    )


def id_filter(**kwargs) -> IntegerFilter:
    return bounded_filter(1, MAX_ID, **kwargs)


def year_filter(**kwargs) -> IntegerFilter:
    return bounded_filter(2000, 2100, **kwargs)


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


ERROR_SCHEMA = {
    "type": "object",
    "description": "Un message (`detail`), ou une liste de messages par champ.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Demande invalide : les messages disent quoi corriger, champ par champ.",
    "401": "Clé absente, inconnue, révoquée ou expirée.",
    "403": "Le rôle de la clé ne permet pas cette action.",
    "404": "Inconnu, ou hors du périmètre de la clé.",
    "409": "Modifié entre-temps : relisez la version actuelle avant d'écrire.",
    "422": "Clé d'idempotence déjà utilisée pour une autre demande.",
    "429": "Trop d'appels : réessayez après le délai de l'en-tête Retry-After.",
}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation says which errors it may
    answer, with their French meaning, so that a client (and schemathesis) expects them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Erreur"] = ERROR_SCHEMA
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            writes = method != "get"
            codes = ["400", "401", "403", "404", "429"]
            if writes:
                codes += ["409", "422"]
            for code in codes:
                operation["responses"].setdefault(
                    code,
                    {
                        "description": ERRORS[code],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}
                        },
                    },
                )
    return result
