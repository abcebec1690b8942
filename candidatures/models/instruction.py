"""DGALN's review around a candidature: the thread with the porteurs, private annotations
and colleagues' opinions."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from candidatures.models.candidature import Candidature


class Message(models.Model):
    """A message of the thread between DGALN and the porteurs about a candidature; its
    attachments are checked uploads owned by the message."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="messages")
    # A message sent keeps its author: accounts are deactivated, never deleted.
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "comptes.Organisation",
        verbose_name="au titre de",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    de_la_dgaln = models.BooleanField("envoyé par la DGALN")
    texte = models.TextField("message", max_length=5000)
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["envoye_le", "pk"]

    def __str__(self):
        return f"Message du {self.envoye_le:%d/%m/%Y}"


class Annotation(models.Model):
    """A private note of DGALN on a candidature: never shown to the porteurs."""

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="annotations"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    texte = models.TextField("annotation", max_length=5000)
    cree_le = models.DateTimeField("écrite le", default=timezone.now)

    class Meta:
        verbose_name = "annotation interne"
        verbose_name_plural = "annotations internes"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"Annotation du {self.cree_le:%d/%m/%Y}"


class DemandeAvis(models.Model):
    """DGALN asks a named colleague (DGALN or a State service) for an opinion on a dossier; the
    opinion is kept with the dossier, seen by DGALN and its author only."""

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="demandes_avis"
    )
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="expert sollicité",
        on_delete=models.PROTECT,
        related_name="demandes_avis",
    )
    question = models.TextField("question posée", max_length=3000)
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    avis = models.TextField("avis", max_length=10000, blank=True)
    rendu_le = models.DateTimeField("rendu le", null=True, blank=True)

    class Meta:
        verbose_name = "demande d'avis"
        verbose_name_plural = "demandes d'avis"
        ordering = ["-demande_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rendu_le__isnull=True) | ~models.Q(avis=""),
                name="avis_rendu_non_vide",
            )
        ]

    def __str__(self):
        return f"Avis demandé à {self.expert}"

    @property
    def rendu(self):
        return self.rendu_le is not None


class Decision(models.Model):
    """DGALN's decision on a candidature, with its written motivation and date; a correction
    is a new decision that says why. Each one has its own letter."""

    # A decision notified to the porteurs is kept, with who took it.
    candidature = models.ForeignKey(Candidature, on_delete=models.PROTECT, related_name="decisions")
    numero = models.PositiveIntegerField("numéro")
    eligible = models.BooleanField("éligible")
    motivation = models.TextField("motivation", max_length=5000)
    date_decision = models.DateField("date de la décision")
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enregistree_le = models.DateTimeField("enregistrée le", default=timezone.now)
    motif_correction = models.TextField("motif de la correction", max_length=5000, blank=True)

    class Meta:
        verbose_name = "décision d'éligibilité"
        verbose_name_plural = "décisions d'éligibilité"
        ordering = ["candidature", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["candidature", "numero"], name="decision_unique"),
            models.CheckConstraint(condition=~models.Q(motivation=""), name="decision_motivee"),
        ]

    def __str__(self):
        sens = "éligible" if self.eligible else "non éligible"
        return f"Décision n° {self.numero} : {sens}"

    @property
    def est_correction(self):
        return bool(self.motif_correction)
