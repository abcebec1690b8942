"""What the groupement writes in the portal before a dépôt: the parts of a livrable, kept
between versions; a dépôt freezes them into the version's `contenu`."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from comptes.validators import valider_une_seule_ligne
from livrables.models.livrable import Livrable


class PartieRedigee(models.Model):
    """One part of a written livrable (« Méthodologie », « Session 2 »…). `source` names what
    the portal assembled it from (a session's compte-rendu, an inter-atelier) and
    `texte_assemble` what it read there; `texte` is the groupement's own, which re-assembling
    never overwrites."""

    livrable = models.ForeignKey(Livrable, on_delete=models.PROTECT, related_name="parties")
    cle = models.SlugField("clé", max_length=64)
    titre = models.CharField("titre", max_length=200, validators=[valider_une_seule_ligne])
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    texte = models.TextField("texte", blank=True)
    source = models.CharField("assemblée depuis", max_length=64, blank=True)
    texte_assemble = models.TextField("texte assemblé par le portail", blank=True)
    # What the groupement fills in a table of the part rather than in its text: the comments
    # on each step of the calendar, who of the groupement is mobilised and in what role.
    donnees = models.JSONField("données saisies", default=dict, blank=True)
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
        verbose_name = "partie rédigée d'un livrable"
        verbose_name_plural = "parties rédigées des livrables"
        ordering = ["livrable", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["livrable", "cle"], name="partie_redigee_cle_unique")
        ]

    def __str__(self):
        return f"{self.titre} ({self.livrable})"
