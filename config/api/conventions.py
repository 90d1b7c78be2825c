"""Conventions: parties and signatures, posts, periods (renewals and amendments
applied), amendments and the deadlines to come; filtered as the list page filters."""

import datetime

import django_filters
from django.utils import timezone
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
from conventions.agreements.selectors import convention_list, visible_conventions
from conventions.enums import ConventionKind, ConventionStatus, Side
from conventions.lifecycle.deadlines import Deadline, convention_deadlines
from conventions.models import Convention

DEADLINE_KINDS = list(Deadline.kinds.items())


def _today(context):
    return context["today"]


class PartySerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    partie = serializers.ChoiceField(
        source="side",
        choices=Side.choices,
        read_only=True,
        help_text="first : « d'une part » ; second : « d'autre part ».",
    )
    financeur = serializers.BooleanField(source="is_funder", read_only=True)
    employeur = serializers.BooleanField(source="is_employer", read_only=True)
    signe_le = serializers.DateField(source="signed_on", read_only=True, allow_null=True)


class PeriodSerializer(serializers.Serializer):
    numero = serializers.IntegerField(source="number", read_only=True)
    debut = serializers.DateField(source="start", read_only=True)
    fin = serializers.DateField(source="end", read_only=True)


class AmendmentSerializer(serializers.Serializer):
    numero = serializers.IntegerField(source="number", read_only=True)
    objet = serializers.CharField(source="object", read_only=True)
    signe_le = serializers.DateField(source="signed_on", read_only=True, allow_null=True)
    prend_effet_le = serializers.DateField(source="effective_on", read_only=True, allow_null=True)


class DeadlineSerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    type = serializers.ChoiceField(source="kind", choices=DEADLINE_KINDS, read_only=True)
    libelle = serializers.CharField(source="label", read_only=True)


class ConventionSerializer(serializers.ModelSerializer):
    titre = serializers.CharField(source="title")
    type = serializers.ChoiceField(source="kind", choices=ConventionKind.choices)
    statut = serializers.SerializerMethodField(help_text="Statut à la date du jour.")
    statut_libelle = serializers.SerializerMethodField()
    date_effet = serializers.DateField(source="effective_date", allow_null=True)
    date_fin = serializers.SerializerMethodField(
        help_text="Fin de la période en cours (reconductions et avenants compris)."
    )
    date_limite_denonciation = serializers.SerializerMethodField(
        help_text="Dernier jour pour dénoncer la convention pour la période en cours."
    )
    denoncee_le = serializers.DateField(source="terminated_on", allow_null=True)
    renouvelle = serializers.SlugRelatedField(
        source="renews", slug_field="reference", read_only=True, allow_null=True
    )
    parties = PartySerializer(many=True)
    postes = serializers.SerializerMethodField(help_text="Identifiants des postes couverts.")
    modifiee_le = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Convention
        fields = [
            "reference",
            "titre",
            "type",
            "statut",
            "statut_libelle",
            "date_effet",
            "date_fin",
            "date_limite_denonciation",
            "denoncee_le",
            "renouvelle",
            "parties",
            "postes",
            "modifiee_le",
        ]
        read_only_fields = fields

    def get_statut(self, convention) -> str:
        return convention.status(_today(self.context)).value

    def get_statut_libelle(self, convention) -> str:
        return convention.status(_today(self.context)).label

    def get_date_fin(self, convention) -> datetime.date | None:
        return convention.current_end_date(_today(self.context))

    def get_date_limite_denonciation(self, convention) -> datetime.date | None:
        return convention.notice_deadline(_today(self.context))

    def get_postes(self, convention) -> list[int]:
        return [section.post_id for section in convention.ordered_sections()]


class ConventionDetailSerializer(ConventionSerializer):
    periodes = serializers.SerializerMethodField(
        help_text="Période initiale puis chaque reconduction, avenants appliqués."
    )
    avenants = AmendmentSerializer(source="amendments", many=True)
    echeances = serializers.SerializerMethodField(
        help_text="Échéances des 400 prochains jours : fin, préavis, comptes rendus, versements."
    )

    class Meta(ConventionSerializer.Meta):
        fields = [*ConventionSerializer.Meta.fields, "periodes", "avenants", "echeances"]
        read_only_fields = fields

    @staticmethod
    def _serialize(serializer_class, items) -> list[dict]:
        return serializer_class(items, many=True).data

    def get_periodes(self, convention) -> PeriodSerializer(many=True):
        today = _today(self.context)
        return self._serialize(PeriodSerializer, convention.periods(until=today, as_of=today))

    def get_echeances(self, convention) -> DeadlineSerializer(many=True):
        deadlines = convention_deadlines(convention, today=_today(self.context))
        return self._serialize(DeadlineSerializer, deadlines)


class ConventionFilter(django_filters.FilterSet):
    """The list page's filters (``conventions.agreements.selectors.convention_list``)."""

    departement = departement_filter(
        method="keep", help_text="Département d'un des postes couverts : 79, 2A, 971…"
    )
    organisation = id_filter(
        method="keep", help_text="Identifiant d'une organisation partie à la convention."
    )
    statut = django_filters.ChoiceFilter(
        method="keep", choices=ConventionStatus.choices, help_text="Statut à la date du jour."
    )
    annee = year_filter(method="keep", help_text="En vigueur pendant cette année.")
    modifiee_depuis = since_filter("updated_at", "Modifiées")

    class Meta:
        model = Convention
        fields = ["departement", "organisation", "statut", "annee", "modifiee_depuis"]

    def keep(self, queryset, name, value):
        # Applied together by ``filter_queryset``, as the list page applies them.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        filters = {
            "departement": data.get("departement"),
            "organisation": data.get("organisation"),
            "status": data.get("statut"),
            "year": int(data["annee"]) if data.get("annee") else None,
        }
        found = convention_list(
            queryset, filters=filters, today=timezone.localdate(), order_by=("reference",)
        )
        return found.select_related("renews")


@extend_schema_view(
    list=extend_schema(summary="Liste des conventions"),
    retrieve=extend_schema(summary="Une convention, avec ses périodes, avenants et échéances"),
)
class ConventionViewSet(viewsets.ReadOnlyModelViewSet):
    """Les conventions que l'utilisateur de la clé voit sur les pages (hors modèles)."""

    lookup_field = "reference"
    lookup_value_converter = "slug"
    filterset_class = ConventionFilter
    # The model, for the OpenAPI description; the data come from ``get_queryset``.
    queryset = Convention.objects.none()

    def get_serializer_class(self):
        return ConventionDetailSerializer if self.action == "retrieve" else ConventionSerializer

    def get_queryset(self):
        visible = visible_conventions(scope_for(self.request.user)).agreements()
        if self.action == "retrieve":
            return visible.for_detail().select_related("renews")
        return visible.order_by("reference")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}
