"""What the background jobs leave for people to see: the e-mails waiting or sent, and the
tasks that failed for good."""

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
