"""The restitution that ends the accompagnement, before the clôture that the livrables fire.

One per atelier, created by the first recording of the pilot or the groupement rather than when
the atelier enters the restitution phase: that phase change belongs to the sessions, and the
restitution is often prepared (date, lieu) during session 3; a page that only reads writes
nothing, so until then the page shows an unsaved, empty restitution.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ateliers.models.atelier import Atelier
from comptes.validators import valider_une_seule_ligne


class CodeRestitution(models.TextChoices):
    """The journal's codes for the restitution."""

    ENREGISTREE = "restitution.enregistree", "Restitution enregistrée"


class Restitution(models.Model):
    """The restitution of one atelier's work to its territory: when, where, to whom, with the
    groupement's presentation and its compte-rendu."""

    atelier = models.OneToOneField(Atelier, on_delete=models.PROTECT, related_name="restitution")
    date = models.DateTimeField("date et heure", null=True, blank=True)
    lieu = models.CharField(
        "lieu", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    audience = models.TextField("public", blank=True)
    presentation = models.ForeignKey(
        "documents.FichierDepose",
        verbose_name="présentation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    compte_rendu = models.TextField("compte-rendu", blank=True)
    modifie_le = models.DateTimeField("modifié le", default=timezone.now)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "restitution"
        verbose_name_plural = "restitutions"

    def __str__(self):
        return f"Restitution de {self.atelier.reference}"
