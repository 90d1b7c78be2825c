"""Who may see what: the one place that scopes data to a user's organisation.

Every view, admin queryset, export and PDF asks ``scope_for(request.user)``.
Objects outside the scope answer 404, never 403, so their existence does not leak.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from config.jobs.models import Run
from conventions.models import (
    AssociatedPartner,
    Convention,
    ConventionPost,
    Council,
    Deliberation,
    Party,
    Post,
)
from partners.enums import STEERING_ROLES, Role
from partners.invitations import may_manage_team
from partners.models import Organisation


@dataclass
class Scope:
    user: object
    _party_posts: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def organisation(self):
        return self.user.organisation

    @property
    def is_admin(self) -> bool:
        return self.user.is_superuser

    @property
    def role(self):
        return self.user.role

    @property
    def reads_everything(self) -> bool:
        """Every post, convention and deliberation of the country: the administrator,
        and the national steering, which changes none of them (every ``can_*`` below
        leaves it out)."""
        return self.is_admin or self.role == Role.NATIONAL_STEERING

    @cached_property
    def _posts_filter(self) -> Q | None:
        """The posts the role works on directly (None when it has none of its own)."""
        org = self.organisation
        match self.role:
            case Role.DDSP_SECRETARIAT | Role.GENDARMERIE_SECRETARIAT:
                return Q(sites__functional_authority=org)
            case Role.EMPLOYER_COORDINATION:
                return Q(employer=org)
            case Role.SOCIAL_WORKER:
                return Q(holders__user=self.user, holders__end__isnull=True)
            case Role.DEPARTEMENTAL_STEERING if org.departement:
                # The préfecture steers its whole département, read only: every post of
                # it, hence every convention with a post of it (``conventions``).
                return Q(departement=org.departement)
        return None

    def _party_conditions(self) -> Q:
        """Conventions the organisation signs or is associated to (the procureur)."""
        org = self.organisation
        return Q(pk__in=Party.objects.filter(organisation=org).values("convention")) | Q(
            pk__in=AssociatedPartner.objects.filter(organisation=org).values("convention")
        )

    @property
    def _sees_party_conventions(self) -> bool:
        # A social worker sees their own post only, not every convention of their employer.
        return self.role != Role.SOCIAL_WORKER

    def posts(self):
        if self.reads_everything:
            return Post.objects.all()
        if self.organisation is None or not self.role:
            return Post.objects.none()
        condition = Q(pk__in=[])
        if self._sees_party_conventions:
            party_conventions = Convention.objects.filter(self._party_conditions())
            condition = Q(
                pk__in=ConventionPost.objects.filter(
                    convention__in=party_conventions.values("pk")
                ).values("post")
            )
        if self._posts_filter is not None:
            condition |= Q(pk__in=Post.objects.filter(self._posts_filter).values("pk"))
        if self.role == Role.LOCAL_AUTHORITY:
            # The posts it created, before a convention of its own covers them. Not in
            # _posts_filter: creating a post does not open the conventions of others.
            condition |= Q(created_by_organisation=self.organisation)
        return Post.objects.filter(condition)

    def conventions(self):
        if self.reads_everything:
            return Convention.objects.all()
        if self.organisation is None or not self.role:
            return Convention.objects.none()
        condition = self._party_conditions() if self._sees_party_conventions else Q(pk__in=[])
        if self._posts_filter is not None:
            # A framework convention is seen by who sees one of its posts.
            condition |= Q(
                pk__in=ConventionPost.objects.filter(
                    post__in=Post.objects.filter(self._posts_filter).values("pk")
                ).values("convention")
            )
        return Convention.objects.filter(condition)

    def deliberations(self):
        """Its organisation's deliberations, and those linked to conventions it sees."""
        if self.reads_everything:
            return Deliberation.objects.all()
        if self.organisation is None or not self.role:
            return Deliberation.objects.none()
        linked = Deliberation.conventions.through.objects.filter(
            convention__in=self.conventions().values("pk")
        ).values("deliberation")
        return Deliberation.objects.filter(Q(organisation=self.organisation) | Q(pk__in=linked))

    def councils(self):
        if self.is_admin:
            return Council.objects.all()
        if self.organisation is None or not self.role:
            return Council.objects.none()
        if self.role in STEERING_ROLES:
            # A council's members are the local authority's business, not the steering's.
            return Council.objects.none()
        return Council.objects.filter(organisation=self.organisation)

    def organisations(self):
        """The partner registry is shared by every convention: each user reads all of it
        (what an organisation signs or funds is scoped: ``conventions``)."""
        if self.is_admin or (self.organisation is not None and self.role):
            return Organisation.objects.all()
        return Organisation.objects.none()

    def runs(self):
        """The imports and exports the user asked for: theirs only, whatever their role
        (what a run made was made with their scope of the moment)."""
        return Run.objects.filter(user=self.user)

    def posts_with_holder_names(self):
        """The posts whose holders the API names: those the user works with (the
        employer's coordination, the secretariat of a site's authority, the local
        authorities that fund or created the post; the administrator). The others
        that see a post, and the holder, read its holders' periods without names."""
        if self.is_admin:
            return Post.objects.all()
        org = self.organisation
        if org is None:
            return Post.objects.none()
        match self.role:
            case Role.EMPLOYER_COORDINATION:
                return Post.objects.filter(employer=org)
            case Role.DDSP_SECRETARIAT | Role.GENDARMERIE_SECRETARIAT:
                return Post.objects.supervised_by(org)
            case Role.LOCAL_AUTHORITY:
                return Post.objects.filter(
                    Q(created_by_organisation=org)
                    | Q(
                        pk__in=Party.objects.filter(organisation=org).values(
                            "convention__sections__post"
                        )
                    )
                )
        return Post.objects.none()

    def convention_starting_points(self):
        """What a new convention may be started from: model conventions and its own."""
        if self.is_admin:
            return Convention.objects.all()
        return Convention.objects.filter(Q(is_template=True) | Q(pk__in=self.conventions()))

    # Write permissions -------------------------------------------------------

    def can_manage_team(self, organisation) -> bool:
        """Invite, resend, revoke, deactivate: the administrator for every organisation,
        a referent for their own (partners.invitations)."""
        return may_manage_team(self.user, organisation)

    def can_edit_convention(self, convention) -> bool:
        if self.is_admin:
            return True
        return self.role == Role.LOCAL_AUTHORITY and any(
            p.organisation_id == self.organisation.pk for p in convention.parties.all()
        )

    def can_change_post_holder(self, post) -> bool:
        """The employer's coordination and the local authorities that fund the post."""
        if self.is_admin:
            return True
        if self.organisation is None:
            return False
        if self.role == Role.EMPLOYER_COORDINATION:
            return post.employer_id == self.organisation.pk
        if self.role == Role.LOCAL_AUTHORITY:
            return self._funds_or_created(post)
        return False

    @property
    def can_create_post(self) -> bool:
        """The national administrator, and a local authority for a post of its
        département (the post stays in its scope: ``posts``)."""
        return self.is_admin or (
            self.role == Role.LOCAL_AUTHORITY and self.user.organisation_id is not None
        )

    def can_edit_post(self, post) -> bool:
        """Its name, FTE, employer and sites: the national administrator, the local
        authorities that fund it and the one that created it."""
        if self.is_admin:
            return True
        if self.organisation is None or self.role != Role.LOCAL_AUTHORITY:
            return False
        return self._funds_or_created(post)

    def _funds_or_created(self, post) -> bool:
        return post.created_by_organisation_id == self.organisation.pk or self._is_party_for(post)

    def _is_party_for(self, post) -> bool:
        """Whether the organisation is party to a convention of ``post`` (asked once a
        post: the post page asks it for the holder and for the sites)."""
        if post.pk not in self._party_posts:
            self._party_posts[post.pk] = Party.objects.filter(
                convention__sections__post=post, organisation=self.organisation
            ).exists()
        return self._party_posts[post.pk]

    def can_change_post_sites(self, post) -> bool:
        """The national administrator, and the local authorities that fund the post (the
        parties to its conventions say where it works) or created it. A site's functional
        authority is chosen among the DDSP and the groupement of the post's département."""
        return self.can_edit_post(post)

    @property
    def can_create_convention(self) -> bool:
        return self.is_admin or self.role == Role.LOCAL_AUTHORITY

    def can_edit_deliberation(self, deliberation) -> bool:
        """Its own organisation's; also a deliberation only cited by a convention it edits.

        Reads ``deliberation.conventions`` as prefetched by ``for_detail``.
        """
        if self.is_admin:
            return True
        if self.role != Role.LOCAL_AUTHORITY:
            return False
        if deliberation.organisation_id == self.organisation.pk:
            return True
        return deliberation.is_reference_only and any(
            self.can_edit_convention(c) for c in deliberation.conventions.all()
        )

    @property
    def can_create_deliberation(self) -> bool:
        return self.is_admin or self.role == Role.LOCAL_AUTHORITY

    def can_manage_council(self, council) -> bool:
        if self.is_admin:
            return True
        return self.role == Role.LOCAL_AUTHORITY and council.organisation_id == self.organisation.pk

    @property
    def can_edit_partners(self) -> bool:
        """The whole partner registry (the national open data's missing SIRET)."""
        return self.is_admin

    @property
    def can_create_organisation(self) -> bool:
        """The national administrator, and a local authority for an organisation of its
        département (a partner its convention needs)."""
        return self.is_admin or (
            self.role == Role.LOCAL_AUTHORITY and self.user.organisation_id is not None
        )

    def can_edit_organisation(self, organisation) -> bool:
        """An organisation and its representatives: the national administrator, and the
        local authorities of the organisation's département (the partners of their
        conventions: a new mayor, an interim préfet). Organisations without a
        département (national ones) stay with the administrator."""
        if self.is_admin:
            return True
        return (
            self.role == Role.LOCAL_AUTHORITY
            and self.organisation is not None
            and bool(self.organisation.departement)
            and organisation.departement == self.organisation.departement
        )

    def can_see_organisation_logo(self, organisation) -> bool:
        """The logo as uploaded (the preview of the organisation's form): its own users,
        and those who may change it (``can_edit_organisation``). Others read it only
        printed in the documents they may open."""
        return (
            self.user.organisation_id is not None and self.user.organisation_id == organisation.pk
        ) or self.can_edit_organisation(organisation)

    def can_steer(self, departement: str | None) -> bool:
        """The steering pages (config.steering): the national one (``None``) and every
        département's for the administrator and the national steering; a département's
        for the préfecture's steering users of that département."""
        if self.reads_everything:
            return True
        return (
            departement is not None
            and self.role == Role.DEPARTEMENTAL_STEERING
            and self.organisation is not None
            and self.organisation.departement == departement
        )

    @property
    def fixed_departement(self) -> str | None:
        """The département of the organisations and posts it creates; None for any."""
        return None if self.is_admin else self.organisation.departement


def scope_for(user) -> Scope:
    return Scope(user)


@dataclass(frozen=True)
class _OrganisationAgent:
    """An agent of ``organisation`` who sees what its local-authority users see: the
    conventions it signs or is associated to, its own deliberations and those linked."""

    organisation: object
    role: str = Role.LOCAL_AUTHORITY
    is_superuser: bool = False

    @property
    def organisation_id(self):
        return self.organisation.pk


def publisher_scope(organisation) -> Scope:
    """What a public file of ``organisation`` may hold at most: no more than its own
    agents export when logged in (conventions.opendata.public)."""
    return Scope(_OrganisationAgent(organisation))
