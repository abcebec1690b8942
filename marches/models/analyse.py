"""The analysis of the offers of one consultation round: the panel's marks, the rapport
d'analyse and its signatures, the collegial attribution, and the letters to the groupements."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from comptes.models import Organisation
from documents.models import Document, FichierDepose
from marches.models.marche import Consultation, Critere
from marches.models.offre import Offre


class CodeAnalyse(models.TextChoices):
    """The journal's codes for the analysis (the attribution, notification, infructuosité and
    relaunch are the marché's transitions: CodeMarche)."""

    NOTES_SAISIES = "analyse.notes_saisies", "Notes d'un membre du jury enregistrées"
    NOTES_COLLEGIALES = "analyse.notes_collegiales", "Notes collégiales enregistrées"
    RAPPORT_PRODUIT = "analyse.rapport_produit", "Rapport d'analyse des offres produit"
    RAPPORT_SIGNE = "analyse.rapport_signe", "Rapport d'analyse des offres signé"


class NoteOffre(models.Model):
    """One mark of one offer on one marked sub-criterion: a panel member's own mark, or the
    collegial mark (the one that counts). Its history keeps every earlier value, so that a mark
    changed after an audition still shows what it was."""

    offre = models.ForeignKey(Offre, on_delete=models.PROTECT, related_name="notes")
    critere = models.ForeignKey(
        Critere, verbose_name="critère", on_delete=models.PROTECT, related_name="notes"
    )
    collegiale = models.BooleanField("note collégiale", default=False)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisie par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The panel member the author sits for (the pilot's service, the opérateur, a collectivité;
    # DGALN when it helps).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="au titre de",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valeur = models.DecimalField(
        "note", max_digits=4, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    justification = models.TextField("justification")
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "note d'une offre"
        verbose_name_plural = "notes des offres"
        ordering = ["offre", "critere__ordre"]
        constraints = [
            models.UniqueConstraint(
                fields=["offre", "critere", "auteur"],
                condition=Q(collegiale=False),
                name="note_une_par_membre",
            ),
            models.UniqueConstraint(
                fields=["offre", "critere"],
                condition=Q(collegiale=True),
                name="note_collegiale_unique",
            ),
            models.CheckConstraint(condition=Q(valeur__gte=0), name="note_positive"),
            models.CheckConstraint(
                condition=~Q(justification=""),
                name="note_justifiee",
                violation_error_message="Chaque note est justifiée.",
            ),
        ]

    def __str__(self):
        return f"{self.critere.libelle} : {self.valeur}"

    @property
    def marche(self):
        return self.offre.consultation.marche


class RapportAnalyse(models.Model):
    """One edition of the rapport d'analyse des offres of a round, printed from the collegial
    marks as they stood (`empreinte`): a mark changed since calls for a new edition, and the
    panel signs the latest one."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="rapports"
    )
    numero = models.PositiveSmallIntegerField("édition")
    empreinte = models.CharField("empreinte des notes et des offres", max_length=64)
    document = models.ForeignKey(
        Document, verbose_name="PDF", null=True, on_delete=models.PROTECT, related_name="+"
    )
    produit_le = models.DateTimeField("produit le", default=timezone.now)
    produit_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="produit par",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "rapport d'analyse des offres"
        verbose_name_plural = "rapports d'analyse des offres"
        ordering = ["consultation", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "numero"], name="rapport_numero_unique")
        ]

    def __str__(self):
        return f"Rapport d'analyse des offres n° {self.numero}"

    @property
    def marche(self):
        return self.consultation.marche

    @property
    def atelier(self):
        return self.consultation.marche.atelier


class SignatureRapport(models.Model):
    """A panel member's sign-off of one edition of the rapport: each member once."""

    rapport = models.ForeignKey(RapportAnalyse, on_delete=models.PROTECT, related_name="signatures")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="signé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="au titre de", on_delete=models.PROTECT, related_name="+"
    )
    signe_le = models.DateTimeField("signé le", default=timezone.now)

    class Meta:
        verbose_name = "signature du rapport d'analyse"
        verbose_name_plural = "signatures du rapport d'analyse"
        ordering = ["rapport", "signe_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapport", "organisation"],
                name="rapport_signe_une_fois_par_membre",
                violation_error_message="Ce membre du jury a déjà signé ce rapport.",
            )
        ]

    def __str__(self):
        return f"Signature de {self.organisation}"


class Attribution(models.Model):
    """The panel's collegial choice in a round: the offer chosen, who agreed, the reasons (and
    why, if so, not the first ranked), then the acte d'engagement signed at notification."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.PROTECT, related_name="attribution"
    )
    offre = models.ForeignKey(
        Offre, verbose_name="offre retenue", on_delete=models.PROTECT, related_name="+"
    )
    rapport = models.ForeignKey(
        RapportAnalyse,
        verbose_name="rapport d'analyse",
        on_delete=models.PROTECT,
        related_name="+",
    )
    motifs = models.TextField("motifs du choix")
    motif_ecart = models.TextField(
        "motif du choix d'une offre autre que la première classée", blank=True
    )
    accords = models.ManyToManyField(
        Organisation, verbose_name="membres du jury d'accord", related_name="+"
    )
    decidee_le = models.DateTimeField("décidée le", default=timezone.now)
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    acte_engagement = models.ForeignKey(
        FichierDepose,
        verbose_name="acte d'engagement signé",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "attribution"
        constraints = [
            models.CheckConstraint(
                condition=~Q(motifs=""),
                name="attribution_motivee",
                violation_error_message="Une attribution est motivée.",
            )
        ]

    def __str__(self):
        return f"Attribution à {self.offre.groupement}"

    @property
    def marche(self):
        return self.consultation.marche


class Lettre(models.Model):
    """A letter to one groupement at the end of a round, printed through the pipeline: the
    rejection of its offer (code de la commande publique, R. 2181-1 and R. 2181-3), the
    notification to the attributaire, or the end of an unsuccessful round."""

    class Type(models.TextChoices):
        REJET = "rejet", "Lettre de rejet de l'offre"
        NOTIFICATION = "notification", "Notification du marché"
        INFRUCTUEUX = "infructueux", "Consultation infructueuse"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="lettres")
    groupement = models.ForeignKey(
        Organisation, verbose_name="destinataire", on_delete=models.PROTECT, related_name="+"
    )
    offre = models.ForeignKey(Offre, on_delete=models.PROTECT, related_name="lettres")
    type = models.CharField("type", max_length=20, choices=Type.choices)
    document = models.ForeignKey(
        Document, verbose_name="PDF", null=True, on_delete=models.PROTECT, related_name="+"
    )
    creee_le = models.DateTimeField("écrite le", default=timezone.now)

    class Meta:
        verbose_name = "lettre à un groupement"
        verbose_name_plural = "lettres aux groupements"
        ordering = ["consultation", "type", "groupement__nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "groupement", "type"], name="lettre_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.groupement}"

    @property
    def marche(self):
        return self.consultation.marche

    @property
    def atelier(self):
        return self.consultation.marche.atelier
