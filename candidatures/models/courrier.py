"""The signed letters of a candidature's dossier."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from documents.models import FichierDepose


class Courrier(models.Model):
    """A signed letter of the dossier, uploaded as a PDF. A new upload replaces the letter of
    its type; the replaced one is kept, dated, with its file."""

    class Type(models.TextChoices):
        SOUTIEN_COLLECTIVITES = (
            "soutien_collectivites",
            "Lettre de soutien de la ou des collectivités",
        )
        SOUTIEN_PREFET = "soutien_prefet", "Lettre de soutien du préfet ou du sous-préfet"
        ENGAGEMENT_SERVICE = (
            "engagement_service",
            "Lettre d'engagement du service de l'État pilote",
        )

    # What a dossier was deposited with is kept, and so is who deposited it: accounts are
    # deactivated, never deleted.
    candidature = models.ForeignKey(
        "candidatures.Candidature",
        verbose_name="candidature",
        on_delete=models.PROTECT,
        related_name="courriers",
    )
    type = models.CharField("courrier", max_length=30, choices=Type.choices)
    fichier = models.ForeignKey(
        FichierDepose, verbose_name="fichier signé", on_delete=models.PROTECT, related_name="+"
    )
    depose_le = models.DateTimeField("déposé le", default=timezone.now)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    remplace_le = models.DateTimeField("remplacé le", null=True, blank=True)

    class Meta:
        verbose_name = "courrier signé"
        verbose_name_plural = "courriers signés"
        ordering = ["candidature", "type", "-depose_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "type"],
                condition=Q(remplace_le__isnull=True),
                name="courrier_un_actuel_par_type",
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.fichier.nom_original}"


EXPLICATIONS_COURRIERS = {
    Courrier.Type.SOUTIEN_COLLECTIVITES: "Signée par l'élu de chaque collectivité porteuse, "
    "qui s'engage à prendre en charge la logistique des sessions.",
    Courrier.Type.SOUTIEN_PREFET: "Signée par le préfet ou le sous-préfet, adressée à la "
    "sous-direction de l'Aménagement durable (AD1, DHUP, DGALN).",
    Courrier.Type.ENGAGEMENT_SERVICE: "Signée par la direction de la DDT(M) ou de la DREAL, "
    "qui s'engage à porter l'atelier pendant 10 à 12 mois.",
}
