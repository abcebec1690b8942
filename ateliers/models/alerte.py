"""Alerts on an accompagnement running late: raised once by the daily job, cleared by it when
their cause is gone; each stage raises those of its own objects."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ateliers.models.atelier import Atelier


class Alerte(models.Model):
    class Nature(models.TextChoices):
        DOUZE_MOIS = "douze_mois", "Accompagnement au-delà de 12 mois"
        QUINZE_MOIS = "quinze_mois", "Accompagnement au-delà de 15 mois"
        SESSION_NON_TENUE = "session_non_tenue", "Session passée mais pas tenue"
        COMPTE_RENDU_ATTENDU = "compte_rendu_attendu", "Compte-rendu de session non écrit"

    atelier = models.ForeignKey(Atelier, on_delete=models.PROTECT, related_name="alertes")
    nature = models.CharField("nature", max_length=32)
    # What it is about inside the atelier (« session:12 »); empty for the atelier itself.
    cle = models.CharField("objet", max_length=64, blank=True)
    libelle = models.CharField("alerte", max_length=255)
    levee_le = models.DateTimeField("levée le", default=timezone.now)
    resolue_le = models.DateTimeField("résolue le", null=True, blank=True)

    class Meta:
        verbose_name = "alerte"
        verbose_name_plural = "alertes"
        ordering = ["-levee_le", "-pk"]
        constraints = [
            # One open alert per cause: the job raises it once, never every night.
            models.UniqueConstraint(
                fields=["atelier", "nature", "cle"],
                condition=Q(resolue_le__isnull=True),
                name="alerte_ouverte_une_fois",
            )
        ]
        indexes = [
            models.Index(
                fields=["atelier"], condition=Q(resolue_le__isnull=True), name="alerte_ouverte"
            )
        ]

    def __str__(self):
        return self.libelle
