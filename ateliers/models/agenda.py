"""The secret address of a user's calendar feeds: a calendar client cannot log in, so the
address itself is the key; renewing it kills the old one."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(32)


class JetonAgenda(models.Model):
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jeton_agenda"
    )
    jeton = models.CharField("jeton", max_length=64, unique=True, default=nouveau_jeton)
    cree_le = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "adresse d'agenda"
        verbose_name_plural = "adresses d'agenda"

    def __str__(self):
        return f"Agenda de {self.utilisateur}"
