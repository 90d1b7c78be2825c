"""What a convention's complete file (« dossier ») holds, in the order the ZIP lists it.

Four folders: the convention (initial text, consolidated text when amendments exist,
every signed scan ever deposited), its amendments, the deliberations linked to it that
the reader may see, and every proof of its payments (each version kept). A document
drawn by the product is rendered when the ZIP is written (``DossierFile.render``); an
uploaded one is read through its FileField's storage (``DossierFile.stored``), never
through a filesystem path, so that the files may move to object storage.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.fields.files import FieldFile
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from conventions.agreements.documents import render_amendment_pdf, render_convention_pdf
from conventions.deliberations.documents import render_deliberation_pdf
from conventions.models import Payment, PaymentProofVersion, SignedScanVersion
from conventions.models.funding import funding_prefetches

CONVENTION_FOLDER = "01-convention"
AMENDMENT_FOLDER = "02-avenants"
DELIBERATION_FOLDER = "03-deliberations"
PAYMENT_FOLDER = "04-paiements"


@dataclass(frozen=True)
class DossierFile:
    """One file of the dossier: where it goes, what a reader calls it, its date.

    Exactly one of ``render`` (a document drawn now) and ``stored`` (an upload) is set.
    ``timestamp`` is the ZIP entry's date: the document's own date, so that two
    downloads of an unchanged dossier carry the same dates.
    """

    path: str
    label: str
    date: datetime.date | None
    timestamp: datetime.datetime
    render: Callable[[], bytes] | None = None
    stored: FieldFile | None = None
    uploaded_at: datetime.datetime | None = None
    # The fingerprint recorded when the file was deposited ("" when none was).
    recorded_sha256: str = ""


@dataclass(frozen=True)
class DossierContents:
    convention: object
    files: list[DossierFile]


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def _stamp(moment: datetime.datetime) -> str:
    return _local(moment).strftime("%Y%m%d-%H%M%S")


def dossier_contents(scope, reference: str) -> DossierContents:
    """The dossier of the convention ``reference`` as ``scope`` may see it (404 outside).

    Queries: the convention with what its documents print (``for_detail``), its scan
    versions, its payments with their payers and funders, their proof versions, and the
    linked deliberations with what their register extract prints; a framework
    convention's annexes add its funding (``funding_prefetches``).
    """
    convention = get_object_or_404(
        scope.conventions()
        .for_detail()
        .prefetch_related(
            Prefetch(
                "scan_versions", queryset=SignedScanVersion.objects.order_by("uploaded_at", "pk")
            )
        ),
        reference=reference,
    )
    if len(convention.sections.all()) > 1:
        # A framework convention's annexes print each post's funding plan.
        prefetch_related_objects([convention], *funding_prefetches())
    payments = list(
        Payment.objects.filter(contribution__convention=convention)
        .select_related("contribution__organisation", "payer")
        .prefetch_related(
            Prefetch(
                "proof_versions",
                queryset=PaymentProofVersion.objects.order_by("uploaded_at", "pk"),
            )
        )
        .order_by("year", "date", "contribution__organisation__name", "pk")
    )
    # A deliberation linked to a convention the reader sees is in their scope; asking the
    # scope anyway keeps this file as narrow as the deliberation pages, whatever the rule.
    deliberations = list(
        scope.deliberations()
        .filter(conventions=convention)
        .for_register(scope.conventions())
        .order_by("session_date", "number", "pk")
    )
    files = [
        *_convention_files(convention),
        *_amendment_files(convention),
        *_deliberation_files(deliberations),
        *_payment_files(payments),
    ]
    return DossierContents(convention=convention, files=_unique_paths(files))


def _convention_files(convention) -> list[DossierFile]:
    amendments = sorted(convention.amendments.all(), key=lambda a: a.number)
    # An unsigned convention has no date of its own: its last change dates the text.
    fallback = _local(convention.updated_at)
    signed_on = convention.last_signature_date
    files = [
        DossierFile(
            path=f"{CONVENTION_FOLDER}/convention-initiale.pdf",
            label="Convention, texte initial"
            + ("" if signed_on else " (projet : pas encore signée par toutes les parties)"),
            date=signed_on,
            timestamp=_midnight(signed_on) if signed_on else fallback,
            render=lambda: render_convention_pdf(convention, consolidated=False),
        )
    ]
    if amendments:
        signed = [a.signed_on for a in amendments if a.signed_on]
        last = max(signed, default=None)
        files.append(
            DossierFile(
                path=f"{CONVENTION_FOLDER}/convention-consolidee.pdf",
                label="Convention, texte consolidé avec ses avenants",
                date=last,
                timestamp=_midnight(last) if last else fallback,
                render=lambda: render_convention_pdf(convention, consolidated=True),
            )
        )
    versions = list(convention.scan_versions.all())
    for version in versions:
        current = version.file.name == convention.signed_scan.name
        deposited = timezone.localtime(version.uploaded_at)
        files.append(
            DossierFile(
                path=f"{CONVENTION_FOLDER}/convention-signee-{_stamp(version.uploaded_at)}.pdf",
                label=f"Convention signée, numérisation déposée le {deposited:%d/%m/%Y à %H:%M}"
                + (" (version en vigueur)" if current else " (version remplacée)"),
                date=deposited.date(),
                timestamp=_local(version.uploaded_at),
                stored=version.file,
                uploaded_at=version.uploaded_at,
                recorded_sha256=version.sha256,
            )
        )
    if convention.signed_scan and convention.signed_scan.name not in {
        v.file.name for v in versions
    }:
        # A scan deposited before versions existed, whose file was already missing when
        # they were recorded (migration 0011): still listed, so that its absence shows.
        files.append(
            DossierFile(
                path=f"{CONVENTION_FOLDER}/convention-signee.pdf",
                label="Convention signée (version en vigueur, date de dépôt inconnue)",
                date=None,
                timestamp=fallback,
                stored=convention.signed_scan,
            )
        )
    return files


def _amendment_files(convention) -> list[DossierFile]:
    files = []
    fallback = _local(convention.updated_at)
    for amendment in sorted(convention.amendments.all(), key=lambda a: a.number):
        signed_on = amendment.signed_on
        files.append(
            DossierFile(
                path=f"{AMENDMENT_FOLDER}/avenant-{amendment.number:02d}.pdf",
                label=f"Avenant n° {amendment.number}" + ("" if signed_on else " (non signé)"),
                date=signed_on,
                timestamp=_midnight(signed_on) if signed_on else fallback,
                render=lambda amendment=amendment: render_amendment_pdf(amendment),
            )
        )
    return files


def _deliberation_files(deliberations) -> list[DossierFile]:
    files = []
    for deliberation in deliberations:
        organisation = deliberation.organisation
        what = (
            "Délibération citée (notice)"
            if deliberation.is_reference_only
            else "Extrait du registre des délibérations"
        )
        name = slugify(organisation.short_name or organisation.name)
        files.append(
            DossierFile(
                path=f"{DELIBERATION_FOLDER}/{deliberation.session_date:%Y-%m-%d}-{name}-"
                f"{slugify(deliberation.number)}.pdf",
                label=f"{what} : {deliberation}, {organisation.name}",
                date=deliberation.session_date,
                timestamp=_midnight(deliberation.session_date),
                render=lambda deliberation=deliberation: render_deliberation_pdf(deliberation),
            )
        )
    return files


def _payment_files(payments) -> list[DossierFile]:
    files = []
    for payment in payments:
        funder = payment.contribution.organisation
        base = (
            f"{PAYMENT_FOLDER}/{payment.year}-{slugify(funder.short_name or funder.name)}-"
            f"verse-le-{payment.date:%Y-%m-%d}"
        )
        label = (
            f"Justificatif du versement du {payment.date:%d/%m/%Y} ({funder.name}, "
            f"année {payment.year}{', versement annulé' if payment.is_cancelled else ''})"
        )
        versions = list(payment.proof_versions.all())
        for version in versions:
            current = version.file.name == payment.proof.name
            suffix = f"-depot-{_stamp(version.uploaded_at)}" if len(versions) > 1 else ""
            files.append(
                DossierFile(
                    path=f"{base}{suffix}.pdf",
                    label=label
                    + (
                        ""
                        if len(versions) == 1
                        else f" — version {'en vigueur' if current else 'remplacée'}"
                    ),
                    date=payment.date,
                    timestamp=_local(version.uploaded_at),
                    stored=version.file,
                    uploaded_at=version.uploaded_at,
                    recorded_sha256=version.sha256,
                )
            )
        if payment.proof and payment.proof.name not in {v.file.name for v in versions}:
            files.append(
                DossierFile(
                    path=f"{base}.pdf",
                    label=label + " (date de dépôt inconnue)",
                    date=payment.date,
                    timestamp=_midnight(payment.date),
                    stored=payment.proof,
                )
            )
    return files


def _unique_paths(files: list[DossierFile]) -> list[DossierFile]:
    """Two payments of one funder on one day (or two deliberations numbered alike once
    slugged) would share a name: the later ones get « -2 », « -3 »."""
    seen: set[str] = set()
    unique = []
    for file in files:
        path, stem = file.path, file.path.removesuffix(".pdf")
        number = 1
        while path in seen:
            number += 1
            path = f"{stem}-{number}.pdf"
        seen.add(path)
        unique.append(file if path == file.path else replace(file, path=path))
    return unique
