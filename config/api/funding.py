"""Money: what each funder is expected to pay for each post and year, what it paid
(``financements``), and the payments themselves (``versements``), which a funder's
tool records (``POST /versements/``)."""

import re

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from config.api.common import (
    DEPARTEMENT_PATTERN,
    MAX_ID,
    OrganisationRefSerializer,
    id_field,
    id_filter,
    since_filter,
    year_filter,
)
from config.api.idempotency import HEADER, KEY_SCHEMA, idempotent
from conventions.access import scope_for
from conventions.enums import BudgetLine, ContributionNature, PaymentState
from conventions.funding.build import NotPayable, payable_cell
from conventions.funding.forms import PaymentForm
from conventions.funding.services import payment_record
from conventions.funding.yearly import expected_by_year
from conventions.models import Contribution, Convention, Payment, Post
from partners.models import Organisation


class YearAmountSerializer(serializers.Serializer):
    convention = serializers.CharField(read_only=True, help_text="Référence de la convention.")
    contribution = serializers.IntegerField(source="contribution_id", read_only=True)
    poste = serializers.IntegerField(source="post_id", read_only=True)
    departement = serializers.CharField(read_only=True)
    financeur = OrganisationRefSerializer(source="organisation")
    ligne_budgetaire = serializers.ChoiceField(
        source="budget_line", choices=BudgetLine.choices, read_only=True
    )
    nature = serializers.ChoiceField(choices=ContributionNature.choices, read_only=True)
    annee = serializers.IntegerField(source="year", read_only=True)
    attendu = serializers.DecimalField(
        source="expected",
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text="Montant attendu pour l'année (valeur de l'aide en nature) ; null s'il ne "
        "peut être calculé (coût du poste non saisi).",
    )
    verse = serializers.DecimalField(source="paid", max_digits=12, decimal_places=2, read_only=True)
    reste = serializers.DecimalField(
        source="remaining", max_digits=12, decimal_places=2, read_only=True
    )
    echeance = serializers.DateField(source="due_date", allow_null=True, read_only=True)
    etat = serializers.ChoiceField(source="state", choices=PaymentState.choices, read_only=True)
    engage = serializers.BooleanField(
        source="committed",
        read_only=True,
        help_text="La convention est signée par toutes ses parties : le montant est engagé.",
    )


YEAR = OpenApiParameter(
    "annee",
    {"type": "integer", "minimum": 2000, "maximum": 2100},
    description="Année budgétaire (l'année en cours par défaut).",
)
DEPARTEMENT = OpenApiParameter(
    "departement",
    {"type": "string", "pattern": DEPARTEMENT_PATTERN},
    description="Département du poste : 79, 2A, 971…",
)
CONVENTION = OpenApiParameter(
    "convention", OpenApiTypes.STR, description="Référence d'une convention."
)
FUNDER = OpenApiParameter(
    "financeur",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    description="Identifiant de l'organisation qui finance.",
)


def _year(params) -> int:
    raw = params.get("annee")
    if raw in (None, ""):
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"annee": ["Indiquez une année entre 2000 et 2100."]})
    return int(raw)


def _int(params, name):
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise ValidationError({name: ["Indiquez un identifiant (un nombre entier)."]})
    return int(raw)


@extend_schema_view(
    list=extend_schema(
        summary="Montants attendus et versés par contribution, pour une année",
        parameters=[YEAR, DEPARTEMENT, CONVENTION, FUNDER],
    )
)
class YearAmountViewSet(viewsets.GenericViewSet, viewsets.mixins.ListModelMixin):
    """Pour chaque contribution d'une convention visible et chaque poste qu'elle finance :
    le montant attendu pour l'année, ce qui a été versé, ce qui reste, et l'état (à verser,
    en retard…), selon les mêmes règles que le plan de financement."""

    serializer_class = YearAmountSerializer
    filter_backends = []

    def get_queryset(self):
        params = self.request.query_params
        conventions = scope_for(self.request.user).conventions().agreements()
        if reference := params.get("convention"):
            conventions = conventions.filter(reference=reference)
        year = _year(params)
        funder, departement = _int(params, "financeur"), params.get("departement")
        if departement and not re.fullmatch(DEPARTEMENT_PATTERN, departement):
            raise ValidationError({"departement": ["Code de département inconnu : 79, 2A, 971…"]})
        # Only the conventions that may hold a matching row are computed (the rows are then
        # filtered exactly): a département's year, not the country's.
        if departement:
            conventions = conventions.filter(
                pk__in=Post.objects.filter(departement=departement).values("conventions")
            )
        if funder is not None:
            conventions = conventions.filter(
                pk__in=Contribution.objects.filter(organisation=funder).values("convention")
            )
        amounts = [
            amount
            for amount in expected_by_year(conventions, [year], today=timezone.localdate()).amounts
            if (funder is None or amount.organisation_id == funder)
            and (not departement or amount.departement == departement)
        ]
        references = dict(
            Convention.objects.filter(pk__in={a.convention_id for a in amounts}).values_list(
                "pk", "reference"
            )
        )
        organisations = Organisation.objects.in_bulk({a.organisation_id for a in amounts})
        rows = [
            _Row(amount, references[amount.convention_id], organisations[amount.organisation_id])
            for amount in amounts
        ]
        return sorted(rows, key=lambda r: (r.convention, r.post_id, r.contribution_id))


class _Row:
    """A ``YearAmount`` with its convention's reference and its funder."""

    def __init__(self, amount, reference, organisation):
        self._amount, self.convention, self.organisation = amount, reference, organisation

    def __getattr__(self, name):
        return getattr(self._amount, name)


class PaymentSerializer(serializers.ModelSerializer):
    convention = serializers.CharField(
        source="contribution.convention.reference",
        read_only=True,
        help_text="Référence de la convention.",
    )
    contribution = id_field(
        source="contribution_id",
        help_text="Identifiant de la contribution (voir /financements/).",
    )
    annee = serializers.IntegerField(
        source="year", min_value=2000, max_value=2100, help_text="Année budgétaire du versement."
    )
    date = serializers.DateField(help_text="Date du versement (mandat ou virement).")
    montant = serializers.DecimalField(
        source="amount", max_digits=12, decimal_places=2, help_text='En euros : "12000.00".'
    )
    payeur = id_field(
        source="payer_id",
        required=False,
        help_text="Organisation qui a payé ; par défaut le financeur de la contribution.",
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Numéro de mandat ou de titre."
    )
    annule = serializers.SerializerMethodField(help_text="Annulé (ne compte plus comme versé).")
    enregistre_le = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "convention",
            "contribution",
            "annee",
            "date",
            "montant",
            "payeur",
            "reference",
            "annule",
            "enregistre_le",
        ]

    def get_annule(self, payment) -> bool:
        return payment.is_cancelled


class PaymentFilter(django_filters.FilterSet):
    annee = year_filter(field_name="year", help_text="Année budgétaire.")
    convention = django_filters.CharFilter(
        field_name="contribution__convention__reference", help_text="Référence de la convention."
    )
    financeur = id_filter(
        field_name="contribution__organisation", help_text="Identifiant du financeur."
    )
    enregistres_depuis = since_filter("created_at", "Enregistrés")

    class Meta:
        model = Payment
        fields = ["annee", "convention", "financeur", "enregistres_depuis"]


# The payment form's fields, by their names in the API.
FORM_FIELDS = {"date": "date", "amount": "montant", "payer": "payeur", "reference": "reference"}


@extend_schema_view(
    list=extend_schema(summary="Liste des versements"),
    retrieve=extend_schema(summary="Un versement"),
    create=extend_schema(
        summary="Enregistrer un versement",
        parameters=[
            OpenApiParameter(
                HEADER,
                KEY_SCHEMA,
                OpenApiParameter.HEADER,
                required=True,
                description="Une clé nouvelle par versement (un UUID, par exemple) : "
                "renvoyée avec la même demande, elle rend la première réponse et "
                "n'enregistre rien deux fois.",
            )
        ],
    ),
)
class PaymentViewSet(
    viewsets.mixins.ListModelMixin,
    viewsets.mixins.RetrieveModelMixin,
    viewsets.mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Les versements des conventions visibles. Les enregistrent ceux qui les
    enregistrent sur les pages : une collectivité partie à la convention, l'administration
    nationale ; avec les mêmes vérifications (une case du plan de financement où un
    montant est attendu, payeur partie à la convention, montant positif)."""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    lookup_value_converter = "id"
    queryset = Payment.objects.none()

    def get_queryset(self):
        conventions = scope_for(self.request.user).conventions()
        return (
            Payment.objects.filter(contribution__convention__in=conventions.values("pk"))
            .select_related("contribution__convention")
            .order_by("pk")
        )

    @idempotent(required=True)
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scope = scope_for(request.user)
        convention_id = (
            Contribution.objects.filter(
                pk=data["contribution_id"], convention__in=scope.conventions().agreements()
            )
            .values_list("convention", flat=True)
            .first()
        )
        if convention_id is None:
            raise ValidationError({"contribution": ["Contribution inconnue."]})
        # Loaded as the funding plan page loads it: the plan decides what is expected.
        convention = Convention.objects.with_funding().get(pk=convention_id)
        if not scope.can_edit_convention(convention):
            raise PermissionDenied(
                "Seules les collectivités parties à la convention enregistrent ses versements."
            )
        year = data["year"]
        try:
            contribution, _cell = payable_cell(convention, data["contribution_id"], year)
        except NotPayable as refusal:
            raise ValidationError({"annee": [str(refusal)]}) from refusal
        form = PaymentForm(
            {
                "date": data["date"],
                "amount": data["amount"],
                "payer": data.get("payer_id") or contribution.organisation_id,
                "reference": data.get("reference", ""),
            },
            contribution=contribution,
            year=year,
        )
        if not form.is_valid():
            raise ValidationError(
                {FORM_FIELDS.get(field, field): errors for field, errors in form.errors.items()}
            )
        cleaned = form.cleaned_data
        payment = payment_record(
            contribution=contribution,
            year=year,
            date=cleaned["date"],
            amount=cleaned["amount"],
            payer=cleaned["payer"],
            reference=cleaned["reference"],
            recorded_by=request.user,
        )
        payment = self.get_queryset().get(pk=payment.pk)
        return Response(self.get_serializer(payment).data, status=status.HTTP_201_CREATED)
