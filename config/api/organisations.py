"""The partner registry: every organisation, read by every user (as on the pages, where
the registry is shared and what it signs is scoped)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from config.api.common import departement_filter
from conventions.access import scope_for
from partners.enums import OrganisationKind
from partners.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    nom = serializers.CharField(source="name")
    nom_court = serializers.CharField(source="short_name")
    type = serializers.ChoiceField(source="kind", choices=OrganisationKind.choices)
    type_libelle = serializers.CharField(source="get_kind_display")
    adresse = serializers.CharField(source="street")
    code_postal = serializers.CharField(source="postal_code")
    commune = serializers.CharField(source="city")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "nom",
            "nom_court",
            "type",
            "type_libelle",
            "departement",
            "siret",
            "rna",
            "adresse",
            "code_postal",
            "commune",
        ]
        read_only_fields = fields


class OrganisationFilter(django_filters.FilterSet):
    departement = departement_filter()
    type = django_filters.ChoiceFilter(
        field_name="kind", choices=OrganisationKind.choices, help_text="Type d'organisation."
    )
    siret = django_filters.CharFilter(help_text="SIRET (14 chiffres).")

    class Meta:
        model = Organisation
        fields = ["departement", "type", "siret"]


@extend_schema_view(
    list=extend_schema(summary="Liste des organisations"),
    retrieve=extend_schema(summary="Une organisation"),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Les organisations partenaires : collectivités, services de l'État, employeurs…"""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_value_converter = "id"
    # The model, for the OpenAPI description; the data come from ``get_queryset``.
    queryset = Organisation.objects.none()

    def get_queryset(self):
        return scope_for(self.request.user).organisations().order_by("pk")
