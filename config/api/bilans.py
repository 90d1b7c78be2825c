"""Bilans: the counts of a post, a département or the country summed over a year or a
quarter, as the bilan pages sum them (``activity.bilans.build_bilan``), in the same
scope (``activity.views.bilans``: the readers get validated quarters only)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from activity.bilans import Period, build_bilan
from activity.views.bilans import departement_scope, national_scope, post_scope


class BilanRowSerializer(serializers.Serializer):
    groupe = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    libelle = serializers.CharField(read_only=True)
    mois = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        read_only=True,
        help_text="Une valeur par mois de la période, null quand rien n'est saisi.",
    )
    total = serializers.IntegerField(allow_null=True, read_only=True)
    periode_precedente = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="Total de la même période un an plus tôt."
    )


class BilanSerializer(serializers.Serializer):
    perimetre = serializers.ChoiceField(
        choices=[("post", "Poste"), ("departement", "Département"), ("national", "National")],
        read_only=True,
    )
    libelle = serializers.CharField(read_only=True)
    annee = serializers.IntegerField(read_only=True)
    trimestre = serializers.IntegerField(read_only=True, allow_null=True)
    trimestres_valides_seulement = serializers.BooleanField(
        read_only=True,
        help_text="Vrai quand seuls les trimestres validés par l'autorité fonctionnelle "
        "sont comptés (les rôles qui ne font que lire).",
    )
    nombre_postes = serializers.IntegerField(read_only=True)
    etats_trimestres = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        read_only=True,
        help_text="Par trimestre, le nombre de postes dans chaque état.",
    )
    indicateurs = BilanRowSerializer(many=True, read_only=True)


YEAR = OpenApiParameter(
    "annee",
    {"type": "integer", "minimum": 2000, "maximum": 2100},
    OpenApiParameter.PATH,
    description="Année.",
)
QUARTER = OpenApiParameter(
    "trimestre",
    {"type": "integer", "minimum": 1, "maximum": 4},
    description="Un trimestre (1 à 4) ; l'année entière sinon.",
)


def _period(request, year) -> Period:
    raw = request.query_params.get("trimestre")
    if not 2000 <= year <= 2100:
        raise NotFound("Année hors limites.")
    if raw in (None, ""):
        return Period(year)
    if raw not in {"1", "2", "3", "4"}:
        raise ValidationError({"trimestre": ["Un trimestre de 1 à 4."]})
    return Period(year, int(raw))


def _data(scope, period, validated_only) -> dict:
    bilan = build_bilan(scope, period, validated_only=validated_only)
    return {
        "perimetre": scope.kind,
        "libelle": scope.label,
        "annee": period.year,
        "trimestre": period.quarter,
        "trimestres_valides_seulement": validated_only,
        "nombre_postes": bilan.post_count,
        "etats_trimestres": {str(q): states for q, states in bilan.quarter_states.items()},
        "indicateurs": [
            {
                "groupe": group.spec.code,
                "code": row.indicator.code,
                "libelle": row.indicator.label,
                "mois": row.months,
                "total": row.total,
                "periode_precedente": row.previous,
            }
            for group in bilan.groups
            for row in group.rows
        ],
    }


class BilanViewSet(viewsets.GenericViewSet):
    """Les bilans d'activité : nombres sommés, jamais une personne."""

    serializer_class = BilanSerializer
    filter_backends = []
    pagination_class = None

    @extend_schema(summary="Bilan d'un poste", parameters=[YEAR, QUARTER])
    def for_post(self, request, poste, annee):
        period = _period(request, annee)
        scope, validated_only = post_scope(request, poste)
        return Response(BilanSerializer(_data(scope, period, validated_only)).data)

    @extend_schema(summary="Bilan d'un département", parameters=[YEAR, QUARTER])
    def for_departement(self, request, departement, annee):
        period = _period(request, annee)
        try:
            scope, validated_only = departement_scope(request, departement)
        except DjangoValidationError as error:
            raise NotFound("Département inconnu.") from error
        return Response(BilanSerializer(_data(scope, period, validated_only)).data)

    @extend_schema(
        summary="Bilan national (administration et pilotage national)", parameters=[YEAR, QUARTER]
    )
    def for_country(self, request, annee):
        period = _period(request, annee)
        scope, validated_only = national_scope(request)
        return Response(BilanSerializer(_data(scope, period, validated_only)).data)
