"""The DGALN accord-cadre, its titulaires and the documents it sends the State services."""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from comptes.models import Organisation
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from documents.models import FichierDepose

# The accord-cadre of the programme before the portal: 2019-2023.
PREMIER_ACCORD_CADRE = datetime.date(2018, 1, 1)
siret_validator = RegexValidator(r"^\d{14}$", "Le SIRET compte exactement 14 chiffres.")
cpv_validator = RegexValidator(
    r"^\d{8}(-\d)?$",
    "Le code CPV compte 8 chiffres, suivis s'il y a lieu d'un tiret et d'un chiffre.",
)


class Procedure(models.TextChoices):
    """The procedures of the DECP format (version 2.0.3), as its schema spells them."""

    ADAPTEE = "Procédure adaptée", "Procédure adaptée"
    AO_OUVERT = "Appel d'offres ouvert", "Appel d'offres ouvert"
    AO_RESTREINT = "Appel d'offres restreint", "Appel d'offres restreint"
    NEGOCIEE = "Procédure avec négociation", "Procédure avec négociation"
    SANS_PUBLICITE = (
        "Marché passé sans publicité ni mise en concurrence préalable",
        "Marché passé sans publicité ni mise en concurrence préalable",
    )
    DIALOGUE = "Dialogue compétitif", "Dialogue compétitif"


class Ccag(models.TextChoices):
    """The CCAG of the DECP format; an Atelier's team delivers intellectual services."""

    PRESTATIONS_INTELLECTUELLES = "Prestations intellectuelles", "Prestations intellectuelles"
    FOURNITURES_SERVICES = "Fournitures courantes et services", "Fournitures courantes et services"
    PAS_DE_CCAG = "Pas de CCAG", "Pas de CCAG"


class AccordCadreQuerySet(models.QuerySet):
    def en_vigueur(self, le: datetime.date | None = None):
        """In force on `le` (today by default): a marché subséquent may be launched under it."""
        le = le or timezone.localdate()
        return self.filter(date_debut__lte=le, date_fin__gte=le)


class AccordCadre(models.Model):
    """DGALN's accord-cadre: the marchés subséquents of the ateliers are launched under it,
    and only its titulaires are consulted."""

    class Statut(models.TextChoices):
        A_VENIR = "a_venir", "À venir"
        EN_COURS = "en_cours", "En cours"
        ECHU = "echu", "Échu"

    reference = models.CharField(
        "référence", max_length=50, unique=True, validators=[valider_une_seule_ligne]
    )
    intitule = models.CharField("intitulé", max_length=250, validators=[valider_une_seule_ligne])
    acheteur = models.ForeignKey(
        Organisation,
        verbose_name="acheteur",
        on_delete=models.PROTECT,
        related_name="accords_cadres",
        limit_choices_to={"type": Organisation.Type.DGALN},
    )
    siret_acheteur = models.CharField(
        "SIRET de l'acheteur", max_length=14, validators=[siret_validator]
    )
    date_debut = models.DateField(
        "début", validators=[PlageDeDates(PREMIER_ACCORD_CADRE, datetime.date(2100, 12, 31))]
    )
    date_fin = models.DateField(
        "fin", validators=[PlageDeDates(PREMIER_ACCORD_CADRE, datetime.date(2100, 12, 31))]
    )
    procedure = models.CharField(
        "procédure", max_length=80, choices=Procedure.choices, default=Procedure.AO_OUVERT
    )
    code_cpv = models.CharField(
        "code CPV",
        max_length=10,
        default="71410000",
        validators=[cpv_validator],
        help_text="71410000 : services d'urbanisme.",
    )
    ccag = models.CharField(
        "CCAG", max_length=60, choices=Ccag.choices, default=Ccag.PRESTATIONS_INTELLECTUELLES
    )
    titulaires = models.ManyToManyField(
        Organisation,
        through="TitulaireAccordCadre",
        related_name="accords_cadres_tenus",
        verbose_name="titulaires",
    )

    objects = AccordCadreQuerySet.as_manager()

    class Meta:
        verbose_name = "accord-cadre"
        verbose_name_plural = "accords-cadres"
        ordering = ["-date_debut"]
        permissions = [("gerer_accordcadre", "Tenir les accords-cadres et leurs titulaires")]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=models.F("date_debut")),
                name="accord_cadre_dates_ordonnees",
                violation_error_message="La fin de l'accord-cadre suit son début.",
            )
        ]

    def __str__(self):
        return f"{self.reference} — {self.intitule}"

    @property
    def statut(self) -> str:
        """Read from its dates, so that it is never out of date."""
        aujourd_hui = timezone.localdate()
        if aujourd_hui < self.date_debut:
            return self.Statut.A_VENIR
        return self.Statut.EN_COURS if aujourd_hui <= self.date_fin else self.Statut.ECHU

    def get_statut_display(self) -> str:
        return str(self.Statut(self.statut).label)


class TypeGroupement(models.TextChoices):
    """How the firms of a groupement answer for the marché (DECP's typeGroupementOperateurs)."""

    CONJOINT = "Conjoint", "Conjoint"
    SOLIDAIRE = "Solidaire", "Solidaire"
    PAS_DE_GROUPEMENT = "Pas de groupement", "Pas de groupement"


class TitulaireAccordCadre(models.Model):
    """A groupement titulaire of the accord-cadre, from the day it was notified on it."""

    accord_cadre = models.ForeignKey(
        AccordCadre, on_delete=models.CASCADE, related_name="titularites"
    )
    groupement = models.ForeignKey(
        Organisation,
        verbose_name="groupement",
        on_delete=models.PROTECT,
        related_name="titularites",
        limit_choices_to={"type": Organisation.Type.GROUPEMENT},
    )
    date_notification = models.DateField(
        "notifié le", validators=[PlageDeDates(PREMIER_ACCORD_CADRE, datetime.date(2100, 12, 31))]
    )
    type_groupement = models.CharField(
        "type de groupement",
        max_length=20,
        choices=TypeGroupement.choices,
        default=TypeGroupement.CONJOINT,
    )
    siret_mandataire = models.CharField(
        "SIRET du mandataire", max_length=14, blank=True, validators=[siret_validator]
    )

    class Meta:
        verbose_name = "titulaire de l'accord-cadre"
        verbose_name_plural = "titulaires de l'accord-cadre"
        ordering = ["accord_cadre", "groupement__nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["accord_cadre", "groupement"], name="titulaire_accord_cadre_unique"
            )
        ]

    def __str__(self):
        return f"{self.groupement} ({self.accord_cadre.reference})"


class DocumentAccordCadre(models.Model):
    """A document DGALN sends the State services with the accord-cadre, typed and versioned:
    the pilots download the current version of each from the marché's page."""

    class Type(models.TextChoices):
        CCP = "ccp", "CCP de l'accord-cadre"
        BORDEREAU_PRIX = "bordereau_prix", "Bordereaux des prix"
        MODELE_NOTE = "modele_note", "Modèle de note méthodologique"
        NOTIFICATION = "notification", "Notification de l'accord-cadre"
        AUTRE = "autre", "Autre document"

    accord_cadre = models.ForeignKey(
        AccordCadre, on_delete=models.CASCADE, related_name="documents"
    )
    type = models.CharField("type", max_length=20, choices=Type.choices)
    titre = models.CharField("titre", max_length=200, validators=[valider_une_seule_ligne])
    version = models.PositiveSmallIntegerField("version", default=1)
    fichier = models.ForeignKey(
        FichierDepose, verbose_name="fichier", on_delete=models.PROTECT, related_name="+"
    )
    ajoute_le = models.DateTimeField("ajouté le", default=timezone.now)
    ajoute_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ajouté par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "document de l'accord-cadre"
        verbose_name_plural = "documents de l'accord-cadre"
        ordering = ["accord_cadre", "type", "titre", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["accord_cadre", "type", "titre", "version"],
                name="document_accord_cadre_version_unique",
            )
        ]

    def __str__(self):
        return f"{self.titre} (version {self.version})"
