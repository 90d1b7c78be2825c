"""Deliberations of the councils: what was decided, by how many votes, and whether it
was transmitted and published."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from config.api.common import (
    OrganisationRefSerializer,
    departement_filter,
    id_filter,
    since_filter,
    year_filter,
)
from conventions.access import scope_for
from conventions.enums import DeliberatingBody, DeliberationResult
from conventions.models import Deliberation


class VotesSerializer(serializers.Serializer):
    pour = serializers.IntegerField(source="votes_for", allow_null=True, read_only=True)
    contre = serializers.IntegerField(source="votes_against", allow_null=True, read_only=True)
    abstentions = serializers.IntegerField(allow_null=True, read_only=True)
    ne_prennent_pas_part = serializers.IntegerField(
        source="not_participating", allow_null=True, read_only=True
    )
    blancs = serializers.IntegerField(source="blank_ballots", allow_null=True, read_only=True)
    nuls = serializers.IntegerField(source="spoilt_ballots", allow_null=True, read_only=True)
    scrutin_secret = serializers.BooleanField(source="secret_ballot", read_only=True)


class DeliberationSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    assemblee = serializers.ChoiceField(source="body", choices=DeliberatingBody.choices)
    numero = serializers.CharField(source="number")
    date_seance = serializers.DateField(source="session_date")
    objet = serializers.CharField(source="object")
    votes = VotesSerializer(source="*")
    resultat = serializers.ChoiceField(
        source="result", choices=DeliberationResult.choices, allow_blank=True
    )
    transmise_le = serializers.DateField(source="transmitted_on", allow_null=True)
    publiee_le = serializers.DateField(source="published_on", allow_null=True)
    adresse_publication = serializers.CharField(source="publication_url")
    conventions = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)
    modifiee_le = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Deliberation
        fields = [
            "id",
            "organisation",
            "assemblee",
            "numero",
            "date_seance",
            "objet",
            "votes",
            "resultat",
            "transmise_le",
            "publiee_le",
            "adresse_publication",
            "conventions",
            "modifiee_le",
        ]
        read_only_fields = fields


class DeliberationFilter(django_filters.FilterSet):
    organisation = id_filter(help_text="Identifiant de l'organisation.")
    departement = departement_filter(
        field_name="organisation__departement",
        help_text="Département de l'organisation : 79, 2A, 971…",
    )
    annee = year_filter(
        field_name="session_date__year",
        help_text="Année de la séance.",
    )
    convention = django_filters.CharFilter(
        field_name="conventions__reference", help_text="Référence d'une convention liée."
    )
    modifiee_depuis = since_filter("updated_at", "Modifiées")

    class Meta:
        model = Deliberation
        fields = ["organisation", "departement", "annee", "convention", "modifiee_depuis"]


@extend_schema_view(
    list=extend_schema(summary="Liste des délibérations"),
    retrieve=extend_schema(summary="Une délibération"),
)
class DeliberationViewSet(viewsets.ReadOnlyModelViewSet):
    """Les délibérations que l'utilisateur de la clé voit sur les pages : celles de son
    organisation et celles liées à ses conventions."""

    serializer_class = DeliberationSerializer
    filterset_class = DeliberationFilter
    lookup_value_converter = "id"
    # The model, for the OpenAPI description; the data come from ``get_queryset``.
    queryset = Deliberation.objects.none()

    def get_queryset(self):
        return (
            scope_for(self.request.user)
            .deliberations()
            .select_related("organisation")
            .prefetch_related("conventions")
            .order_by("pk")
        )
