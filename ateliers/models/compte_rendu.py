"""What a held session produced: its compte-rendu and the proposals made there."""

from django.conf import settings
from django.db import models

from ateliers.models.session import Session


class CompteRendu(models.Model):
    """What a session produced, written by the groupement and validated by the pilot; its
    photos and attachments are checked uploads owned by it."""

    session = models.OneToOneField(
        Session, verbose_name="session", on_delete=models.CASCADE, related_name="compte_rendu"
    )
    synthese = models.TextField("synthèse", blank=True)
    enjeux = models.TextField("enjeux identifiés", blank=True)
    decisions = models.TextField("décisions", blank=True)
    prochaines_etapes = models.TextField("prochaines étapes", blank=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "compte-rendu"
        verbose_name_plural = "comptes-rendus"

    def __str__(self):
        return f"Compte-rendu — {self.session}"


class Proposition(models.Model):
    """One proposal made during the session, as the compte-rendu lists them."""

    compte_rendu = models.ForeignKey(
        CompteRendu,
        verbose_name="compte-rendu",
        on_delete=models.CASCADE,
        related_name="propositions",
    )
    ordre = models.PositiveSmallIntegerField("ordre")
    texte = models.TextField("proposition")
    theme = models.CharField("thème", max_length=150, blank=True)
    proposee_par = models.CharField("proposée par", max_length=200, blank=True)

    class Meta:
        verbose_name = "proposition"
        ordering = ["compte_rendu", "ordre"]
        constraints = [
            models.UniqueConstraint(
                fields=["compte_rendu", "ordre"], name="proposition_ordre_unique"
            ),
        ]

    def __str__(self):
        return self.texte[:80]
