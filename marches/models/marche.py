"""The marché subséquent of an atelier, its consultation rounds and its frozen CCTP versions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models import ABANDONNER, Atelier
from comptes.models import Organisation
from comptes.validators import valider_une_seule_ligne
from documents.models import Document
from marches.models.accord_cadre import AccordCadre

PILOTER_MARCHE = "marches.piloter_marche"


def _sur_le_marche(permission):
    """A marché's transition is fired by who holds `permission` on that marché."""

    def verifier(marche, user):
        return user.has_perm(permission, marche)

    return verifier


def _sur_l_atelier(permission):
    """A transition that changes the atelier's fate is fired by who holds `permission` on it."""

    def verifier(marche, user):
        return user.has_perm(permission, marche.atelier)

    return verifier


class CodeMarche(models.TextChoices):
    """The journal's codes for the marché subséquent."""

    OUVERT = "marche.ouvert", "Marché subséquent ouvert"
    PUBLIE = "marche.publie", "Consultation publiée"
    CONSULTATION_CLOSE = "marche.consultation_close", "Remise des offres close"
    ATTRIBUE = "marche.attribue", "Marché attribué"
    NOTIFIE = "marche.notifie", "Marché notifié"
    INFRUCTUEUX = "marche.infructueux", "Consultation déclarée infructueuse"
    RELANCE = "marche.relance", "Nouvelle consultation préparée"
    SANS_SUITE = "marche.sans_suite", "Marché classé sans suite"
    ATELIER_ABANDONNE = "marche.atelier_abandonne", "Atelier abandonné après le marché"


class MarcheQuerySet(models.QuerySet):
    def vivants(self):
        """Not closed without follow-up: at most one per atelier."""
        return self.exclude(statut=MarcheSubsequent.Statut.SANS_SUITE)

    def en_consultation(self):
        return self.filter(statut=MarcheSubsequent.Statut.EN_CONSULTATION)


class MarcheSubsequent(ConcurrentTransitionMixin, models.Model):
    """The marché subséquent that gives an atelier its groupement: its state owns the
    atelier's steps from éligible to cadrage (opening it starts the marché phase, notifying it
    starts the cadrage)."""

    class Statut(models.TextChoices):
        # Only inside the transaction that opens it: `ouvrir` follows its creation at once.
        NOUVEAU = "nouveau", "Ouverture"
        EN_PREPARATION = "en_preparation", "En préparation"
        EN_CONSULTATION = "en_consultation", "En consultation"
        EN_ANALYSE = "en_analyse", "En analyse"
        ATTRIBUE = "attribue", "Attribué"
        NOTIFIE = "notifie", "Notifié"
        INFRUCTUEUX = "infructueux", "Infructueux"
        SANS_SUITE = "sans_suite", "Sans suite"

    atelier = models.ForeignKey(
        Atelier, verbose_name="atelier", on_delete=models.PROTECT, related_name="marches"
    )
    numero = models.PositiveSmallIntegerField("numéro", default=1)
    accord_cadre = models.ForeignKey(
        AccordCadre,
        verbose_name="accord-cadre",
        on_delete=models.PROTECT,
        related_name="marches",
    )
    objet = models.CharField("objet", max_length=250, validators=[valider_une_seule_ligne])
    # Indexed: the lists, « à traiter » and the periodic close of consultations read it.
    statut = FSMField(
        "statut",
        max_length=20,
        choices=Statut.choices,
        default=Statut.NOUVEAU,
        protected=True,
        db_index=True,
    )
    statut_depuis = models.DateTimeField("dans cet état depuis le", default=timezone.now)
    ouvert_le = models.DateTimeField("ouvert le", default=timezone.now)
    ouvert_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ouvert par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    motif_infructueux = models.TextField("motif de l'infructuosité", blank=True)
    motif_sans_suite = models.TextField("motif du classement sans suite", blank=True)
    attributaire = models.ForeignKey(
        Organisation,
        verbose_name="attributaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="marches_attribues",
        limit_choices_to={"type": Organisation.Type.GROUPEMENT},
    )
    notifie_le = models.DateField("notifié le", null=True, blank=True)

    objects = MarcheQuerySet.as_manager()

    class Meta:
        verbose_name = "marché subséquent"
        verbose_name_plural = "marchés subséquents"
        ordering = ["-ouvert_le"]
        permissions = [("piloter_marche", "Conduire le marché subséquent (service pilote)")]
        indexes = [
            # The DECP page lists the notified marchés latest first, 25 a page: read in this
            # order, PostgreSQL joins 25 rows instead of sorting every notified marché.
            models.Index(
                fields=["notifie_le", "id"],
                condition=Q(statut="notifie"),
                name="marche_notifie_le_idx",
            ),
            # The list of marchés, latest opened first, likewise.
            models.Index(fields=["ouvert_le", "id"], name="marche_ouvert_le_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["atelier", "numero"], name="marche_numero_unique"),
            models.UniqueConstraint(
                fields=["atelier"],
                condition=~Q(statut="sans_suite"),
                name="un_marche_vivant_par_atelier",
                violation_error_message="Cet atelier a déjà un marché subséquent en cours.",
            ),
            models.CheckConstraint(
                condition=~Q(statut="sans_suite") | ~Q(motif_sans_suite=""),
                name="marche_sans_suite_motive",
                violation_error_message="Un classement sans suite est motivé.",
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=["attribue", "notifie"]) | Q(attributaire__isnull=False),
                name="marche_attribue_a_un_groupement",
                violation_error_message="Un marché attribué l'est à un groupement.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.objet}"

    @property
    def reference(self):
        """The atelier's reference and the marché's rank: AL-2026-0012-M1."""
        return f"{self.atelier.reference}-M{self.numero}"

    def _entrer(self):
        self.statut_depuis = timezone.now()

    @transition(
        field=statut,
        source=Statut.NOUVEAU,
        target=Statut.EN_PREPARATION,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.OUVERT,
            "journal": "Marché subséquent ouvert",
            "libelle": "Lancer le marché subséquent",
            "consequence": (
                "Le marché subséquent est ouvert sous l'accord-cadre en vigueur : le CCTP se "
                "rédige à partir de la note d'opportunité, avec les porteurs."
            ),
        },
    )
    def ouvrir(self):
        """The pilot opens the marché under the accord-cadre in force; the CCTP is written."""
        self._entrer()

    @transition(
        field=statut,
        source=Statut.EN_PREPARATION,
        target=Statut.EN_CONSULTATION,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.PUBLIE,
            "journal": "Consultation publiée",
            "libelle": "Publier la consultation",
            "consequence": (
                "Le CCTP est figé dans une version numérotée et les groupements consultés le "
                "voient avec la date limite de remise des offres."
            ),
        },
    )
    def publier(self):
        """The consultation is published on PLACE; the CCTP is frozen."""
        self._entrer()

    @transition(
        field=statut,
        source=Statut.EN_CONSULTATION,
        target=Statut.EN_ANALYSE,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.CONSULTATION_CLOSE,
            "journal": "Remise des offres close",
            "libelle": "Clore la remise des offres",
            "consequence": "La date limite est passée : l'analyse des offres commence.",
        },
    )
    def clore_consultation(self):
        """The deadline has passed: the offers received are analysed."""
        self._entrer()

    @transition(
        field=statut,
        source=Statut.EN_ANALYSE,
        target=Statut.ATTRIBUE,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.ATTRIBUE,
            "journal": "Marché attribué",
            "libelle": "Attribuer le marché",
            "consequence": (
                "Le choix collégial est enregistré ; la DGALN en est informée. Les courriers "
                "aux groupements non retenus et la notification se préparent ensuite."
            ),
        },
    )
    def attribuer(self, *, attributaire):
        """The panel has chosen: the marché goes to this groupement."""
        self.attributaire = attributaire
        self._entrer()

    @transition(
        field=statut,
        source=Statut.ATTRIBUE,
        target=Statut.NOTIFIE,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.NOTIFIE,
            "journal": "Marché notifié",
            "libelle": "Notifier le marché",
            "consequence": (
                "Le marché est notifié à l'attributaire : l'atelier entre en cadrage et les "
                "membres du groupement y ont accès."
            ),
        },
    )
    def notifier(self, *, le):
        """The attributaire is notified on `le`: the accompagnement begins."""
        self.notifie_le = le
        self._entrer()

    @transition(
        field=statut,
        source=Statut.EN_ANALYSE,
        target=Statut.INFRUCTUEUX,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.INFRUCTUEUX,
            "journal": "Consultation déclarée infructueuse",
            "libelle": "Déclarer la consultation infructueuse",
            "motif": True,
            "danger": True,
            "consequence": (
                "Aucune offre n'est retenue ; le motif est écrit aux groupements qui ont "
                "répondu. Une nouvelle consultation pourra être préparée."
            ),
        },
    )
    def declarer_infructueux(self, *, motif):
        """No offer, or none acceptable: this round ends with its reason."""
        self.motif_infructueux = motif
        self._entrer()

    @transition(
        field=statut,
        source=Statut.INFRUCTUEUX,
        target=Statut.EN_PREPARATION,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.RELANCE,
            "journal": "Nouvelle consultation préparée",
            "libelle": "Préparer une nouvelle consultation",
            "consequence": (
                "Le CCTP redevient modifiable pour une nouvelle consultation ; la précédente "
                "et ses offres restent dans l'historique du marché."
            ),
        },
    )
    def relancer(self):
        """After an unsuccessful round, the CCTP is amended for a new one."""
        self._entrer()

    @transition(
        field=statut,
        source=[
            Statut.EN_PREPARATION,
            Statut.EN_CONSULTATION,
            Statut.EN_ANALYSE,
            Statut.ATTRIBUE,
            Statut.INFRUCTUEUX,
        ],
        target=Statut.SANS_SUITE,
        permission=_sur_le_marche(PILOTER_MARCHE),
        custom={
            "code": CodeMarche.SANS_SUITE,
            "journal": "Marché classé sans suite",
            "libelle": "Classer le marché sans suite",
            "motif": True,
            "danger": True,
            "consequence": (
                "Le marché s'arrête ici, avec son motif ; vous pourrez ensuite ouvrir un "
                "nouveau marché ou abandonner l'atelier."
            ),
        },
    )
    def classer_sans_suite(self, *, motif):
        """The buyer gives the marché up, with its reason (no longer needed, budget…)."""
        self.motif_sans_suite = motif
        self._entrer()

    @transition(
        field=statut,
        source=[
            Statut.EN_PREPARATION,
            Statut.EN_CONSULTATION,
            Statut.EN_ANALYSE,
            Statut.ATTRIBUE,
            Statut.INFRUCTUEUX,
            Statut.SANS_SUITE,
        ],
        target=Statut.SANS_SUITE,
        permission=_sur_l_atelier(ABANDONNER),
        custom={
            "code": CodeMarche.ATELIER_ABANDONNE,
            "journal": "Atelier abandonné après le marché",
            "libelle": "Abandonner l'atelier",
            "motif": True,
            "danger": True,
            "consequence": "L'atelier s'arrêtera définitivement ; le motif sera conservé.",
        },
    )
    def abandonner_atelier(self, *, motif):
        """The atelier is given up during its marché: the marché, unless already classed
        without follow-up, ends with it and with the same reason."""
        if self.statut != self.Statut.SANS_SUITE:
            self.motif_sans_suite = motif
            self._entrer()


class Consultation(models.Model):
    """One round of consultation of the accord-cadre's titulaires, as published on PLACE; an
    unsuccessful round is followed by another on the same marché, and both stay."""

    marche = models.ForeignKey(
        MarcheSubsequent, on_delete=models.CASCADE, related_name="consultations"
    )
    numero = models.PositiveSmallIntegerField("consultation n°", default=1)
    reference_place = models.CharField(
        "référence PLACE", max_length=60, validators=[valider_une_seule_ligne]
    )
    publiee_le = models.DateField("publiée le")
    date_limite = models.DateTimeField("date et heure limites de remise des offres")
    consultes = models.ManyToManyField(
        Organisation,
        verbose_name="groupements consultés",
        related_name="consultations",
        limit_choices_to={"type": Organisation.Type.GROUPEMENT},
    )
    close_le = models.DateTimeField("remise des offres close le", null=True, blank=True)
    cree_le = models.DateTimeField("enregistrée le", default=timezone.now)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "consultation"
        ordering = ["marche", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["marche", "numero"], name="consultation_numero_unique")
        ]
        # « Mes consultations » lists a groupement's rounds, newest deadline first, 25 a page:
        # read in this order, PostgreSQL joins 25 rows instead of sorting all 5 000.
        indexes = [models.Index(fields=["date_limite", "id"], name="consultation_limite_idx")]

    def __str__(self):
        return f"Consultation n° {self.numero} ({self.reference_place})"

    @property
    def atelier(self):
        return self.marche.atelier


class FormulePrix(models.TextChoices):
    """How the price criterion is scored, fixed in the CCTP."""

    PROPORTIONNELLE = "proportionnelle", "Poids × prix le plus bas ÷ prix de l'offre"


class VersionCctp(models.Model):
    """A numbered CCTP as published (or rectified): frozen content, its PDF and its grid of
    criteria. Each offer answers one version, and its analysis refers to that version."""

    marche = models.ForeignKey(
        MarcheSubsequent, on_delete=models.CASCADE, related_name="versions_cctp"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="versions_cctp"
    )
    numero = models.PositiveSmallIntegerField("version")
    contenu = models.JSONField("contenu figé")
    rectificatif = models.TextField(
        "objet du rectificatif", blank=True, help_text="Vide pour la version publiée d'abord."
    )
    formule_prix = models.CharField(
        "formule de notation du prix",
        max_length=20,
        choices=FormulePrix.choices,
        default=FormulePrix.PROPORTIONNELLE,
    )
    note_maximale = models.PositiveSmallIntegerField(
        "note maximale des critères notés",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    document = models.ForeignKey(
        Document, verbose_name="PDF", null=True, on_delete=models.PROTECT, related_name="+"
    )
    publiee_le = models.DateTimeField("publiée le", default=timezone.now)
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publiée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "version du CCTP"
        verbose_name_plural = "versions du CCTP"
        ordering = ["marche", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["marche", "numero"], name="version_cctp_unique")
        ]

    def __str__(self):
        return f"CCTP version {self.numero}"

    @property
    def atelier(self):
        return self.marche.atelier


class Critere(models.Model):
    """A criterion or sub-criterion of the grid of a CCTP version, with its weight out of 100;
    the price criterion is computed by the version's formula, the others are marked."""

    version = models.ForeignKey(VersionCctp, on_delete=models.CASCADE, related_name="criteres")
    parent = models.ForeignKey(
        "self",
        verbose_name="critère",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sous_criteres",
    )
    libelle = models.CharField("libellé", max_length=200, validators=[valider_une_seule_ligne])
    poids = models.DecimalField(
        "poids",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    est_prix = models.BooleanField("critère du prix", default=False)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "critère de jugement"
        verbose_name_plural = "critères de jugement"
        ordering = ["version", "ordre"]

    def __str__(self):
        return f"{self.libelle} ({self.poids})"
