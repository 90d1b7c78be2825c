from django.db import models


class ReminderSent(models.Model):
    """One row per reminder e-mail sent, so that cron can run it as often as it likes."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"

    def __str__(self):
        return self.key
