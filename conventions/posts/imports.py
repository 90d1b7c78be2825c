"""Posts and their sites, imported from a spreadsheet.

One row a site; the rows of one post (same « intitulé » and « département ») give
its sites. The employer and each functional authority are organisations of the
registry, named by SIRET or by name: an unknown one is a message on the row (the
organisations are imported first). A post already recorded (same département, same
title whatever the case) gets its FTE and employer from the file and the sites it
lacks; a site is found by its name. The rows go through the services of the pages
(``post_save``, ``post_sites_save``), checked in a transaction rolled back, then
written all together or not at all.
"""

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from config.core import spreadsheets
from config.core.imports import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    Column,
    RowResult,
    Table,
    check_header,
    normalised,
    row_cells,
    summary,
)
from config.core.writes import RowChange
from conventions.enums import Force, SiteKind
from conventions.models import Post
from conventions.posts.services import PostSiteData, post_save, post_sites_save
from partners.models import Organisation, name_key

KIND = "posts"
COLUMNS = [
    Column("intitulé"),
    Column("département"),
    Column("ETP"),
    Column("employeur", help_text="SIRET ou nom de l'organisation"),
    Column("type de site"),
    Column("nom du site"),
    Column("adresse du site", required=False),
    Column("force"),
    Column("autorité fonctionnelle", help_text="SIRET ou nom de l'organisation"),
]
EXAMPLE = [
    "ISC du commissariat de Niort",
    "79",
    "1",
    "France Victimes 79",
    "Commissariat",
    "Commissariat de Niort",
    "2 rue du Guesclin 79000 Niort",
    "Police nationale",
    "DDSP des Deux-Sèvres",
]
SITE_KINDS = {
    **{normalised(k.value): k.value for k in SiteKind},
    **{normalised(k.label): k.value for k in SiteKind},
}
FORCES = {
    **{normalised(f.value): f.value for f in Force},
    **{normalised(f.label): f.value for f in Force},
}


class RowError(Exception):
    pass


def organisation_named(text: str, departement: str, column: str) -> Organisation:
    """The organisation a cell names, by SIRET or by name (the one of the post's
    département first); RowError with a French message otherwise."""
    compact = text.replace(" ", "")
    if compact.isdigit() and len(compact) == 14:
        found = list(Organisation.objects.filter(siret=compact)[:2])
    else:
        found = list(Organisation.objects.filter(name_key=name_key(text))[:10])
        local = [o for o in found if o.departement == departement]
        found = local or found
    if not text:
        raise RowError(f"« {column} » manquant : écrivez le SIRET ou le nom de l'organisation.")
    if not found:
        raise RowError(
            f"Organisation inconnue dans « {column} » : « {text} ». Importez ou créez "
            "d'abord l'organisation, ou écrivez son SIRET."
        )
    if len(found) > 1:
        raise RowError(
            f"Plusieurs organisations s'appellent « {text} » : écrivez le SIRET dans « {column} »."
        )
    return found[0]


def _fte(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ".")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RowError(f"ETP illisible « {text} » : écrivez par exemple 1 ou 0,5.") from None


def _choice(mapping, text: str, column: str, choices) -> str:
    value = mapping.get(normalised(text))
    if value is None:
        labels = ", ".join(f"« {label} »" for label in choices.labels)
        raise RowError(f"« {text} » n'est pas un choix de « {column} » : {labels}.")
    return value


def _site(cells: dict[str, str], departement: str) -> PostSiteData:
    return PostSiteData(
        order=0,
        kind=_choice(SITE_KINDS, cells["type de site"], "type de site", SiteKind),
        name=cells["nom du site"],
        address=cells.get("adresse du site", ""),
        force=_choice(FORCES, cells["force"], "force", Force),
        functional_authority=organisation_named(
            cells["autorité fonctionnelle"], departement, "autorité fonctionnelle"
        ),
    )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def _write_post(rows: list[RowResult]) -> None:
    """Create or complete one post from its rows; sets each row's status."""
    first = rows[0].cells
    departement = first["département"]
    if departement.isdigit() and len(departement) == 1:
        departement = departement.zfill(2)
    name = first["intitulé"]
    fte = _fte(first["ETP"])
    employer = organisation_named(first["employeur"], departement, "employeur")
    for result in rows[1:]:
        if (_fte(result.cells["ETP"]), result.cells["employeur"]) != (fte, first["employeur"]):
            raise RowError(
                f"Les lignes du poste « {name} » n'ont pas le même ETP ou le même employeur "
                f"(voir la ligne {rows[0].line})."
            )
    sites = [_site(result.cells, departement) for result in rows]
    post = Post.objects.filter(departement=departement, name__iexact=name).first()
    created = post is None
    post_changed = created or (post.fte, post.employer_id) != (fte, employer.pk)
    if post_changed:
        post = post_save(
            post=post,
            name=name if created else post.name,
            departement=departement,
            fte=fte,
            employer=employer,
        )
    existing = {normalised(site.name): site for site in post.sites.all()}
    next_order = max((site.order for site in existing.values()), default=0) + 1
    changes = []
    for result, site in zip(rows, sites, strict=True):
        same = existing.get(normalised(site.name))
        if same is None:
            data = replace(site, order=next_order)
            next_order += 1
            changes.append(RowChange(data=data))
            result.status = CREATE if created else UPDATE
        elif (same.kind, same.force, same.functional_authority_id, same.address) != (
            site.kind,
            site.force,
            site.functional_authority.pk,
            site.address or same.address,
        ):
            data = replace(site, order=same.order, name=same.name)
            changes.append(RowChange(row=same, data=data))
            result.status = UPDATE
        else:
            result.status = UPDATE if post_changed else UNCHANGED
    if changes:
        post_sites_save(post=post, sites=changes, expected_version=post.version)


def _groups(results: list[RowResult]) -> list[list[RowResult]]:
    groups = {}
    for result in results:
        key = (result.cells["département"].zfill(2), normalised(result.cells["intitulé"]))
        groups.setdefault(key, []).append(result)
    return list(groups.values())


def _run(results: list[RowResult]) -> None:
    for rows in _groups(results):
        if any(result.status == ERROR for result in rows):
            for result in rows:
                if result.status != ERROR:
                    result.refuse("Une autre ligne de ce poste est en erreur.")
            continue
        try:
            with transaction.atomic():
                _write_post(rows)
        except (RowError, ValidationError) as error:
            messages = [str(error)] if isinstance(error, RowError) else _messages(error)
            for result in rows:
                for message in messages:
                    result.refuse(message)


def check_rows(*, table: Table) -> list[RowResult]:
    """What the import would do; the services run in a transaction rolled back."""
    positions = check_header(table.header, COLUMNS)
    results = row_cells(table, positions)
    for result in results:
        result.label = f"{result.cells['intitulé']} — {result.cells['nom du site']}"
    with transaction.atomic():
        _run(results)
        transaction.set_rollback(True)
    return results


@transaction.atomic
def posts_import(*, results: list[RowResult]) -> dict[str, int]:
    if any(result.status == ERROR for result in results):
        raise ValueError("A file with errors is not imported.")
    _run(results)
    if any(result.status == ERROR for result in results):
        raise ValueError("The database changed since the check.")
    return summary(results)


def template_csv() -> bytes:
    return spreadsheets.french_csv([c.name for c in COLUMNS], [EXAMPLE])


def template_xlsx() -> bytes:
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = "Postes"
    spreadsheets.append_rows(sheet, [[c.name for c in COLUMNS], EXAMPLE])
    spreadsheets.bold_row(sheet)
    return spreadsheets.workbook_bytes(workbook)
