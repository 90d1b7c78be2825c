"""ISC posts: where they work (sites and their functional authority), for whom (the
employer), since when their holders hold them."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from config.api.common import LazyIds, OrganisationRefSerializer, departement_filter, id_filter
from conventions.access import scope_for
from conventions.enums import Force, SiteKind
from conventions.models import ConventionPost, Post, PostHolder


class SiteSerializer(serializers.Serializer):
    type = serializers.ChoiceField(source="kind", choices=SiteKind.choices, read_only=True)
    nom = serializers.CharField(source="name", read_only=True)
    adresse = serializers.CharField(source="address", read_only=True)
    force = serializers.ChoiceField(choices=Force.choices, read_only=True)
    autorite_fonctionnelle = OrganisationRefSerializer(source="functional_authority")


class HolderSerializer(serializers.Serializer):
    nom = serializers.SerializerMethodField(
        help_text="Nom de l'intervenant, pour les rôles qui travaillent avec lui "
        "(employeur, secrétariat de l'autorité fonctionnelle, collectivité qui finance "
        "le poste) ; null pour les autres."
    )
    debut = serializers.DateField(source="start", read_only=True)
    fin = serializers.DateField(source="end", read_only=True, allow_null=True)

    def get_nom(self, holder) -> str | None:
        named = self.context.get("posts_with_holder_names", frozenset())
        return holder.name if holder.post_id in named else None


class PostSerializer(serializers.ModelSerializer):
    intitule = serializers.CharField(source="name")
    etp = serializers.DecimalField(source="fte", max_digits=4, decimal_places=2)
    employeur = OrganisationRefSerializer(source="employer", allow_null=True)
    sites = SiteSerializer(source="site_list", many=True)
    titulaires = HolderSerializer(source="holders", many=True)
    conventions = serializers.SerializerMethodField(
        help_text="Références des conventions qui couvrent le poste."
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "intitule",
            "departement",
            "etp",
            "employeur",
            "sites",
            "titulaires",
            "conventions",
        ]
        read_only_fields = fields

    def get_conventions(self, post) -> list[str]:
        return [section.convention.reference for section in post.api_sections]


class PostFilter(django_filters.FilterSet):
    departement = departement_filter()
    employeur = id_filter(
        field_name="employer", help_text="Identifiant de l'organisation employeur."
    )
    autorite_fonctionnelle = id_filter(
        method="filter_authority",
        help_text="Identifiant de l'autorité fonctionnelle (DDSP, groupement) d'un site.",
    )

    class Meta:
        model = Post
        fields = ["departement", "employeur", "autorite_fonctionnelle"]

    def filter_authority(self, queryset, name, value):
        return queryset.filter(sites__functional_authority=value).distinct()


@extend_schema_view(
    list=extend_schema(summary="Liste des postes"),
    retrieve=extend_schema(summary="Un poste"),
)
class PostViewSet(viewsets.ReadOnlyModelViewSet):
    """Les postes d'ISC que l'utilisateur de la clé voit sur les pages."""

    serializer_class = PostSerializer
    filterset_class = PostFilter
    lookup_value_converter = "id"
    # The model, for the OpenAPI description; the data come from ``get_queryset``.
    queryset = Post.objects.none()

    def get_queryset(self):
        return (
            scope_for(self.request.user)
            .posts()
            .select_related("employer")
            .with_sites()
            .prefetch_related(
                Prefetch("holders", queryset=PostHolder.objects.order_by("-start", "-pk")),
                Prefetch(
                    "sections",
                    queryset=ConventionPost.objects.select_related("convention")
                    .filter(convention__is_template=False)
                    .order_by("convention__reference"),
                    to_attr="api_sections",
                ),
            )
            .order_by("pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        named = scope_for(self.request.user).posts_with_holder_names()
        # One query, for the page's posts only, when the serializer asks.
        context["posts_with_holder_names"] = LazyIds(named)
        return context
