"""Writes on a post: what it is (name, FTE, employer) and its sites, where it works,
under which force and which authority."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from config.core.concurrency import check_version
from config.core.writes import RowChange, assign, prepare_rows, validate, values_of, write_rows
from conventions.enums import Force
from conventions.models import Post, PostSite
from partners.enums import OrganisationKind
from partners.models import Organisation

# The kind of organisation that is a force's functional authority.
AUTHORITY_KIND = {
    Force.POLICE: OrganisationKind.POLICE,
    Force.GENDARMERIE: OrganisationKind.GENDARMERIE,
}


@dataclass(frozen=True, kw_only=True)
class PostData:
    name: str
    departement: str
    fte: Decimal
    employer: Organisation


@dataclass(frozen=True)
class PostSiteData:
    order: int
    kind: str
    name: str
    force: str
    functional_authority: Organisation
    address: str = ""


def site_problems(sites: Sequence[PostSite]) -> list[str]:
    """What is wrong with a post's sites as a whole (each site is checked on its own
    by ``PostSite.clean``)."""
    if not sites:
        return ["Un poste a au moins un site : gardez-en un ou ajoutez-en un."]
    problems = []
    authorities: dict[str, Organisation] = {}
    for site in sites:
        authority = site.functional_authority
        expected = AUTHORITY_KIND.get(site.force)
        if expected is not None and authority.kind != expected:
            problems.append(
                f"« {site.name} » : l'autorité fonctionnelle d'un site de la "
                f"{Force(site.force).label.lower()} est une organisation de type "
                f"« {OrganisationKind(expected).label} » ({authority.name} ne l'est pas)."
            )
        first = authorities.setdefault(site.force, authority)
        if first.pk != authority.pk:
            problems.append(
                f"Les sites de la {Force(site.force).label.lower()} d'un poste ont la même "
                f"autorité fonctionnelle : choisissez {first.name} pour « {site.name} », ou "
                "faites-en un autre poste."
            )
    return problems


@transaction.atomic
def post_sites_save(
    *,
    post: Post,
    sites: Sequence[RowChange[PostSite, PostSiteData]],
    expected_version: int | None = None,
) -> Post:
    """Change, add and remove the sites of ``post``; the post keeps at least one, and one
    functional authority per force. An edit prepared on an older version is refused."""
    check_version(
        post,
        expected_version,
        what="les sites de ce poste",
        related=[PostSite.history.filter(post_id=post.pk)],
    )
    writes = prepare_rows(sites, new=lambda: PostSite(post=post), argument="sites")
    written = {row.pk: row for row, delete in writes if not delete and row.pk is not None}
    deleted = {row.pk for row, delete in writes if delete}
    kept = [
        written.get(site.pk, site)
        for site in post.sites.select_related("functional_authority")
        if site.pk not in deleted
    ]
    result = kept + [row for row, delete in writes if not delete and row.pk is None]
    problems = site_problems(result)
    if problems:
        raise ValidationError({"sites": problems})
    post.save(update_fields=["version"])
    write_rows(writes)
    return post


@transaction.atomic
def post_create(
    *,
    data: PostData,
    sites: Sequence[PostSiteData],
    created_by_organisation: Organisation | None = None,
) -> Post:
    """A new post with its sites (one at least, one functional authority per force).

    ``created_by_organisation``: the local authority that creates it, which then sees
    it (``Scope.posts``) before a convention covers it.
    """
    post = Post(created_by_organisation=created_by_organisation)
    assign(post, values_of(data))
    validate(post)
    post.save()
    writes = prepare_rows(
        [RowChange(data=site) for site in sites], new=lambda: PostSite(post=post), argument="sites"
    )
    problems = site_problems([row for row, _ in writes])
    if problems:
        raise ValidationError({"sites": problems})
    write_rows(writes)
    return post


@transaction.atomic
def post_update(*, post: Post, data: PostData, expected_version: int | None = None) -> Post:
    """Change what the post is; an edit prepared on an older version is refused."""
    check_version(post, expected_version, what="ce poste")
    assign(post, values_of(data))
    validate(post)
    post.save()
    return post


@transaction.atomic
def post_save(
    *,
    post: Post | None = None,
    name: str,
    departement: str,
    fte,
    employer: Organisation,
) -> Post:
    """Create a post, or change ``post``'s name, département, FTE and employer; its sites
    are written by ``post_sites_save`` (a new post gets its first ones there)."""
    post = post if post is not None else Post()
    assign(post, {"name": name, "departement": departement, "fte": fte, "employer": employer})
    validate(post)
    post.save()
    return post
