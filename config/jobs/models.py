"""What the background jobs leave for people to see: the e-mails waiting or sent, and the
tasks that failed for good."""

import uuid

from django.conf import settings
from django.db import models


class Email(models.Model):
    """One e-mail of the outbox. Written in the same transaction as the change it tells of,
    sent by a task once that transaction commits: a change rolled back sends nothing, and a
    broker down when it commits only delays the e-mail (``send_waiting_emails``). A message
    that carries a secret link (invitation, forgotten password) is never written here: its
    task builds it when it sends it."""

    # Two requests for the same e-mail (a double click, a task run twice) write one row.
    key = models.CharField("clé", max_length=200, unique=True, null=True, blank=True)
    recipients = models.JSONField("destinataires")
    subject = models.CharField("objet", max_length=300)
    body = models.TextField("texte")
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.CharField("dernière erreur", max_length=300, blank=True)

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="jobs_email_waiting")]

    def __str__(self):
        return self.subject


class TaskFailure(models.Model):
    """A task that failed after its last attempt: the national administrator sees it on the
    administration site and may launch it again once the cause is fixed."""

    task_id = models.CharField("identifiant", max_length=64, unique=True)
    task = models.CharField("tâche", max_length=200)
    arguments = models.JSONField("arguments", default=dict)
    error = models.CharField("erreur", max_length=500)
    traceback = models.TextField("trace", blank=True)
    failed_at = models.DateTimeField("échouée le", auto_now_add=True)
    relaunched_at = models.DateTimeField("relancée le", null=True, blank=True)

    class Meta:
        verbose_name = "tâche en échec"
        verbose_name_plural = "tâches en échec"
        ordering = ["-failed_at", "-pk"]

    def __str__(self):
        return f"{self.task} ({self.failed_at:%d/%m/%Y %H:%M})"


def rendering_path(instance, filename: str) -> str:
    return f"rendus/{instance.key[:2]}/{instance.key}.pdf"


class Rendering(models.Model):
    """A PDF laid out once and kept (config.jobs.renderings): found again by the digest of
    everything it shows (its HTML, its stylesheet, the layout engine's version), so that a
    document whose content has not changed is served from here, and one whose content
    changed never is."""

    key = models.CharField("empreinte", max_length=64, unique=True)
    file = models.FileField("fichier", upload_to=rendering_path, max_length=200)
    size = models.PositiveIntegerField("taille (octets)")
    created_at = models.DateTimeField("mis en page le", auto_now_add=True)

    class Meta:
        verbose_name = "document mis en page"
        verbose_name_plural = "documents mis en page"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.key


class RunState(models.TextChoices):
    WAITING = "waiting", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échoué"


def run_file_path(instance, filename: str) -> str:
    return f"traitements/{instance.public_id}/{filename}"


class Run(models.Model):
    """An import or an export that a person asked for and a worker runs
    (``config.jobs.runs``): the page they are sent to reads its state here, and the file
    it made, kept for a week, is downloaded from here by them only."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    # The same request twice (a double click, two tabs confirming one file) is one run.
    key = models.CharField("clé", max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="runs",
        verbose_name="demandé par",
    )
    handler = models.CharField("traitement", max_length=200)
    label = models.CharField("libellé", max_length=300)
    subject = models.CharField("objet", max_length=100, blank=True)
    # What the worker needs (an import's cells, an export's period); emptied once run:
    # an import's cells are not kept beyond their use.
    params = models.JSONField("paramètres", default=dict, blank=True)
    state = models.CharField(
        "état", max_length=10, choices=RunState.choices, default=RunState.WAITING
    )
    message = models.TextField("résultat", blank=True)
    result_url = models.CharField("page du résultat", max_length=300, blank=True)
    file = models.FileField("fichier", upload_to=run_file_path, max_length=300, blank=True)
    back_url = models.CharField("page de la demande", max_length=300, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    # When the person was shown the outcome once (the message of a finished import).
    told_at = models.DateTimeField("résultat montré le", null=True, blank=True)

    class Meta:
        verbose_name = "traitement"
        verbose_name_plural = "traitements"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="jobs_run_user_recent")]

    def __str__(self):
        return self.label

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
