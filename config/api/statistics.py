"""Monthly activity statistics, by quarter: counts only, never a person.

Read: the quarters of the posts in scope; a role that only reads (a local authority,
a partner, the steering) gets validated quarters only, as on the bilans. Write: the
employer's coordination and the social worker enter the months of a quarter and submit
it, through the services of the entry pages (same rules, same consistency checks, same
workflow); validating, reopening and locking stay on the pages of the authorities.
"""

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from activity.enums import QuarterState
from activity.forms import MAX_COUNT
from activity.models import MonthlyRecord, MonthlyValue, QuarterReport
from activity.models.records import FINAL_STATES
from activity.rules import Capacity, permissions, posts_read_unvalidated
from activity.selectors import grid_layout, quarter_for_entry, report_values
from activity.services import QuarterNotSubmitted, quarter_save, quarter_submit
from activity.services.entry import StaleQuarterError
from config.api.common import (
    MAX_ID,
    LazyIds,
    bounded_filter,
    departement_filter,
    id_filter,
    since_filter,
    year_filter,
)
from config.api.idempotency import HEADER, KEY_SCHEMA, idempotent
from conventions.access import scope_for

# Who writes through the API: those who enter the figures (the issue of the API: never
# an authority's validation from a program).
WRITERS = frozenset({Capacity.EMPLOYER, Capacity.HOLDER})


class MonthSerializer(serializers.Serializer):
    mois = serializers.IntegerField(read_only=True)
    valeurs = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Nombre par code d'indicateur ; un indicateur non saisi est absent.",
    )


class QuarterSerializer(serializers.Serializer):
    poste = serializers.IntegerField(source="post_id", read_only=True)
    annee = serializers.IntegerField(source="year", read_only=True)
    trimestre = serializers.IntegerField(source="quarter", read_only=True)
    etat = serializers.ChoiceField(source="state", choices=QuarterState.choices, read_only=True)
    version = serializers.IntegerField(
        read_only=True, help_text="À renvoyer avec une écriture : 0 pour un trimestre vierge."
    )
    transmis_le = serializers.DateTimeField(source="submitted_at", read_only=True, allow_null=True)
    valide_le = serializers.DateTimeField(source="validated_at", read_only=True, allow_null=True)
    valeurs_visibles = serializers.SerializerMethodField(
        help_text="Faux quand le trimestre n'est pas encore validé et que le rôle de la clé "
        "ne lit que les trimestres validés : les mois sont alors vides."
    )
    mois = serializers.SerializerMethodField()

    def _visible(self, report) -> bool:
        return report.state in FINAL_STATES or report.post_id in self.context["unvalidated_ok"]

    def get_valeurs_visibles(self, report) -> bool:
        return self._visible(report)

    def get_mois(self, report) -> MonthSerializer(many=True):
        if not self._visible(report):
            return []
        values = self.context.get("values", {}).get(report.pk)
        if values is None:
            values = {month: {} for month in report.months}
            for record in getattr(report, "api_records", ()):
                for value in record.values.all():
                    values[record.month][value.indicator.code] = value.value
        return [{"mois": month, "valeurs": values.get(month, {})} for month in report.months]


class QuarterFilter(django_filters.FilterSet):
    poste = id_filter(field_name="post", help_text="Identifiant du poste.")
    departement = departement_filter(
        field_name="post__departement", help_text="Département du poste."
    )
    annee = year_filter(field_name="year", help_text="Année.")
    trimestre = bounded_filter(1, 4, field_name="quarter", help_text="Trimestre (1 à 4).")
    etat = django_filters.ChoiceFilter(
        field_name="state", choices=QuarterState.choices, help_text="État du trimestre."
    )
    modifie_depuis = since_filter("updated_at", "Modifiés")

    class Meta:
        model = QuarterReport
        fields = ["poste", "departement", "annee", "trimestre", "etat", "modifie_depuis"]


@extend_schema_view(list=extend_schema(summary="Trimestres de statistiques d'activité"))
class QuarterListViewSet(viewsets.mixins.ListModelMixin, viewsets.GenericViewSet):
    """Les trimestres saisis des postes visibles, avec les nombres de chaque mois. Un rôle
    qui ne fait que lire (collectivité, partenaire, pilotage) ne reçoit que les trimestres
    validés par l'autorité fonctionnelle."""

    serializer_class = QuarterSerializer
    filterset_class = QuarterFilter
    queryset = QuarterReport.objects.none()

    def get_queryset(self):
        user = self.request.user
        posts = scope_for(user).posts()
        reports = QuarterReport.objects.filter(post__in=posts.values("pk"))
        if not user.is_superuser:
            reports = reports.filter(
                Q(state__in=FINAL_STATES) | Q(post__in=posts_read_unvalidated(user).values("pk"))
            )
        return reports.prefetch_related(
            Prefetch(
                "records",
                queryset=MonthlyRecord.objects.prefetch_related(
                    Prefetch("values", queryset=MonthlyValue.objects.select_related("indicator"))
                ),
                to_attr="api_records",
            )
        ).order_by("pk")

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "unvalidated_ok": LazyIds(posts_read_unvalidated(self.request.user)),
        }


class QuarterWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        help_text="La version du trimestre lue avant d'écrire (0 pour un trimestre vierge) : "
        "si quelqu'un l'a modifié depuis, l'écriture est refusée (409).",
    )
    mois = serializers.DictField(
        child=serializers.DictField(
            child=serializers.IntegerField(min_value=0, max_value=MAX_COUNT, allow_null=True)
        ),
        required=False,
        help_text="Par numéro de mois du trimestre, les nombres par code d'indicateur : "
        '{"7": {"personnes_recues": 12}} ; null efface un nombre saisi.',
    )


class QuarterDetailSerializer(QuarterSerializer):
    indicateurs = serializers.SerializerMethodField(
        help_text="Les indicateurs de la grille du trimestre : code et libellé."
    )

    def get_indicateurs(self, report) -> list[dict[str, str]]:
        layout = self.context["layout"]
        return [
            {"code": row.code, "libelle": row.label}
            for group in layout.groups
            for row in group.indicators
        ]


PERIOD = [
    OpenApiParameter(
        "poste",
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        OpenApiParameter.PATH,
        description="Poste.",
    ),
    OpenApiParameter(
        "annee",
        {"type": "integer", "minimum": 2000, "maximum": 2100},
        OpenApiParameter.PATH,
        description="Année.",
    ),
    OpenApiParameter(
        "trimestre",
        {"type": "integer", "minimum": 1, "maximum": 4},
        OpenApiParameter.PATH,
        description="Trimestre (1 à 4).",
    ),
]
IDEMPOTENCY = OpenApiParameter(
    HEADER,
    KEY_SCHEMA,
    OpenApiParameter.HEADER,
    description="Facultatif : la même écriture renvoyée avec la même clé rend la première "
    "réponse sans rien écrire deux fois.",
)


class QuarterViewSet(viewsets.GenericViewSet):
    """Un trimestre d'un poste : lecture, saisie des mois, transmission."""

    serializer_class = QuarterDetailSerializer
    queryset = QuarterReport.objects.none()
    filter_backends = []
    pagination_class = None

    def _quarter(self):
        kwargs = self.kwargs
        year, quarter = kwargs["annee"], kwargs["trimestre"]
        if not 2000 <= year <= 2100 or not 1 <= quarter <= 4:
            raise NotFound("Période inconnue : une année de 2000 à 2100, un trimestre de 1 à 4.")
        post = (
            scope_for(self.request.user)
            .posts()
            .select_related("employer")
            .prefetch_related("holders")
            .with_sites()
            .filter(pk=kwargs["poste"])
            .first()
        )
        if post is None:
            raise NotFound("Poste inconnu.")
        return quarter_for_entry(post, year, quarter)

    def _answer(self):
        """The quarter as stored now (read again after a write)."""
        report = self._quarter()
        context = {
            **self.get_serializer_context(),
            "unvalidated_ok": LazyIds(posts_read_unvalidated(self.request.user)),
            "layout": grid_layout(report.grid_version, report.post),
            "values": {report.pk: report_values(report) if report.pk else {}},
        }
        return Response(QuarterDetailSerializer(report, context=context).data)

    def _writable(self, report):
        if permissions(self.request.user, report.post).capacity not in WRITERS:
            raise PermissionDenied(
                "Par l'API, seuls la coordination de l'employeur du poste et l'intervenant "
                "qui le tient saisissent et transmettent ses statistiques."
            )

    def _values(self, report, data) -> dict[int, dict[str, int | None]] | None:
        months = data.get("mois")
        if months is None:
            return None
        layout = grid_layout(report.grid_version)
        errors, values = {}, {}
        for key, counts in months.items():
            month = int(key) if str(key).isdigit() else None
            if month not in report.months:
                errors[str(key)] = [
                    f"Le trimestre {report.quarter} couvre les mois "
                    f"{', '.join(str(m) for m in report.months)}."
                ]
                continue
            if unknown := sorted(set(counts) - set(layout.codes)):
                errors[str(key)] = [
                    f"Indicateur inconnu dans la grille du trimestre : {', '.join(unknown)}."
                ]
                continue
            values[month] = counts
        if errors:
            raise ValidationError({"mois": errors})
        return values

    @extend_schema(summary="Un trimestre d'un poste", parameters=PERIOD)
    def retrieve(self, request, *args, **kwargs):
        return self._answer()

    @extend_schema(
        summary="Saisir des mois d'un trimestre",
        parameters=[*PERIOD, IDEMPOTENCY],
        request=QuarterWriteSerializer,
        responses={200: QuarterDetailSerializer},
    )
    @idempotent(required=False)
    def update(self, request, *args, **kwargs):
        report = self._quarter()
        self._writable(report)
        data = self._input(request)
        values = self._values(report, data)
        if values is None:
            raise ValidationError({"mois": ["Indiquez au moins un mois."]})
        try:
            quarter_save(
                report=report, values=values, user=request.user, expected_version=data["version"]
            )
        except StaleQuarterError as error:
            return _conflict(error)
        return self._answer()

    @extend_schema(
        summary="Transmettre un trimestre à l'autorité fonctionnelle",
        parameters=[*PERIOD, IDEMPOTENCY],
        request=QuarterWriteSerializer,
        responses={200: QuarterDetailSerializer},
    )
    @idempotent(required=False)
    def submit(self, request, *args, **kwargs):
        report = self._quarter()
        self._writable(report)
        data = self._input(request)
        values = self._values(report, data)
        try:
            quarter_submit(
                report=report,
                values=values,
                user=request.user,
                expected_version=data["version"],
            )
        except StaleQuarterError as error:
            return _conflict(error)
        except QuarterNotSubmitted as refusal:
            # Returned, not raised: the counts that came with it stay saved.
            return Response(
                {"non_field_errors": refusal.messages, "valeurs_enregistrees": values is not None},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._answer()

    @staticmethod
    def _input(request) -> dict:
        serializer = QuarterWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _conflict(error: StaleQuarterError) -> Response:
    return Response(
        {"detail": " ".join(error.messages), "version": error.version},
        status=status.HTTP_409_CONFLICT,
    )
