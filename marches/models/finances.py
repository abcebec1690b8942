"""The execution of a notified marché on the BOP 135: the montant notifié, the engagement
juridique in Chorus, the AE and CP of each year, the échéancier in tranches and the payments.

Every amount of the execution is TTC: the State engages and pays TTC (AE, CP and mandatements
in Chorus include the TVA). Only the DECP export publishes the HT montant notifié."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition

from ateliers.formats import CENTIME, euros
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from marches.models.marche import PILOTER_MARCHE, MarcheSubsequent

CENT = Decimal(100)
# No marché subséquent of the programme was paid before the first accord-cadre.
PREMIER_PAIEMENT = datetime.date(2018, 1, 1)
ej_validator = RegexValidator(
    r"^\d{10}$",
    "Le numéro d'engagement juridique (Chorus) compte exactement 10 chiffres.",
    code="numero_ej",
)


def pourcent(valeur: Decimal) -> str:
    """« 12,5 % », « 20 % »: no useless zeros."""
    texte = f"{Decimal(valeur).normalize():f}".replace(".", ",")
    return f"{texte}\u00a0%"


def repartir(total: Decimal, pourcentages: list[Decimal]) -> list[Decimal]:
    """Each tranche's share of `total`, to the cent; the last takes what rounding left, so that
    the tranches always add up to the montant notifié exactly."""
    parts = [(total * p / CENT).quantize(CENTIME, rounding=ROUND_HALF_UP) for p in pourcentages]
    if parts:
        parts[-1] = total - sum(parts[:-1], Decimal(0))
    return parts


class CodeFinances(models.TextChoices):
    """The journal's codes for the execution of a marché."""

    EXECUTION_OUVERTE = "finances.execution_ouverte", "Exécution financière ouverte"
    EXECUTION_MODIFIEE = "finances.execution_modifiee", "Exécution financière modifiée"
    CREDITS_ENREGISTRES = "finances.credits_enregistres", "Crédits de l'année enregistrés"
    TRANCHE_EXIGIBLE = "finances.tranche_exigible", "Tranche exigible"
    PAIEMENT_ENREGISTRE = "finances.paiement_enregistre", "Paiement enregistré"


class Jalon(models.TextChoices):
    """The milestone that makes a tranche payable; the later stages make them real (a validated
    livrable releases its tranche through marches.services.tranche_liberer)."""

    AVANCE = "avance", "Avance à la notification"
    NOTE_CADRAGE = "note_cadrage", "Note de cadrage validée"
    SESSION_1 = "session_1", "Session 1 tenue"
    SESSION_2 = "session_2", "Session 2 tenue"
    SESSION_3 = "session_3", "Session 3 tenue"
    CARNET_SUIVI = "carnet_suivi", "Carnet de suivi validé"
    RAPPORT_FINAL = "rapport_final", "Rapport final validé"
    FEUILLE_ROUTE = "feuille_route", "Feuille de route validée"
    LIVRET = "livret", "Livret de capitalisation validé"
    LIVRABLES_FINAUX = "livrables_finaux", "Livrables finaux validés"
    AUTRE = "autre", "Autre"


class Execution(models.Model):
    """The money of one notified marché: what was notified, its engagement juridique, its
    duration (for the DECP) and, below it, its credits, tranches and payments."""

    marche = models.OneToOneField(
        MarcheSubsequent,
        verbose_name="marché subséquent",
        on_delete=models.PROTECT,
        related_name="execution",
    )
    montant_ht = models.DecimalField(
        "montant notifié HT (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    montant_tva = models.DecimalField(
        "TVA (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    montant_ttc = models.DecimalField("montant notifié TTC (€)", max_digits=12, decimal_places=2)
    # The sum of the payments below it, kept by paiement_enregistrer in the payment's own
    # transaction: DGALN's totals read it instead of summing 20 000 payments on every view.
    montant_paye = models.DecimalField(
        "montant payé TTC (€)", max_digits=12, decimal_places=2, default=Decimal(0), editable=False
    )
    numero_ej = models.CharField(
        "numéro d'engagement juridique (Chorus)",
        max_length=10,
        validators=[ej_validator],
        help_text="Les 10 chiffres de l'engagement juridique créé dans Chorus.",
    )
    duree_mois = models.PositiveSmallIntegerField(
        "durée d'exécution (mois)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
        help_text="Celle du CCTP : de 10 à 15 mois pour un Atelier Local.",
    )
    # Each change increments it: a form sent from an older page is refused.
    version = models.PositiveIntegerField("version", default=1)
    ouverte_le = models.DateTimeField("ouverte le", default=timezone.now)
    ouverte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ouverte par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "exécution financière"
        verbose_name_plural = "exécutions financières"
        permissions = [
            ("voir_finances_nationales", "Voir les totaux financiers nationaux (BOP 135)")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant_ttc=models.F("montant_ht") + models.F("montant_tva")),
                name="execution_ttc_egal_ht_plus_tva",
                violation_error_message="Le montant TTC est la somme du montant HT et de la TVA.",
            ),
            models.CheckConstraint(
                condition=Q(montant_ht__gt=0) & Q(montant_tva__gte=0),
                name="execution_montants_positifs",
                violation_error_message="Le montant notifié est positif.",
            ),
            models.CheckConstraint(
                condition=Q(numero_ej__regex=r"^[0-9]{10}$"),
                name="execution_numero_ej_10_chiffres",
                violation_error_message=ej_validator.message,
            ),
        ]

    def __str__(self):
        return f"Exécution du marché {self.marche.reference}"

    @property
    def atelier(self):
        return self.marche.atelier


class CreditAnnuel(models.Model):
    """The autorisations d'engagement and crédits de paiement of one year for one marché."""

    marche = models.ForeignKey(
        MarcheSubsequent,
        verbose_name="marché subséquent",
        on_delete=models.PROTECT,
        related_name="credits",
    )
    annee = models.PositiveSmallIntegerField(
        "année", validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    ae = models.DecimalField(
        "autorisations d'engagement (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    cp = models.DecimalField(
        "crédits de paiement (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    modifie_le = models.DateTimeField("enregistrés le", default=timezone.now)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrés par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "crédits de l'année"
        verbose_name_plural = "crédits par année"
        ordering = ["marche", "annee"]
        constraints = [
            models.UniqueConstraint(fields=["marche", "annee"], name="credit_annuel_unique"),
            models.CheckConstraint(
                condition=Q(ae__gte=0) & Q(cp__gte=0),
                name="credit_annuel_positif",
                violation_error_message="Les AE et les CP sont positifs.",
            ),
        ]

    def __str__(self):
        return f"Crédits {self.annee} du marché {self.marche.reference}"

    @property
    def atelier(self):
        return self.marche.atelier


def _du_marche(permission):
    def verifier(tranche, user):
        return user.has_perm(permission, tranche.execution.marche)

    return verifier


def _couverte(tranche) -> bool:
    return tranche.paye() >= tranche.montant


class Tranche(models.Model):
    """One line of the échéancier: a share of the montant notifié, payable once its milestone
    is reached, paid once its payments cover it."""

    class Statut(models.TextChoices):
        PREVUE = "prevue", "Prévue"
        EXIGIBLE = "exigible", "Exigible"
        PAYEE = "payee", "Payée"

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="tranches")
    ordre = models.PositiveSmallIntegerField("ordre")
    libelle = models.CharField("libellé", max_length=200, validators=[valider_une_seule_ligne])
    jalon = models.CharField("jalon", max_length=20, choices=Jalon.choices)
    pourcentage = models.DecimalField(
        "pourcentage",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(CENTIME), MaxValueValidator(CENT)],
    )
    # pourcentage × montant notifié TTC, to the cent (the last tranche takes the rounding).
    montant = models.DecimalField("montant TTC (€)", max_digits=12, decimal_places=2)
    statut = FSMField(
        "état", max_length=20, choices=Statut.choices, default=Statut.PREVUE, protected=True
    )
    exigible_le = models.DateTimeField("exigible le", null=True, blank=True)
    payee_le = models.DateField("payée le", null=True, blank=True)

    class Meta:
        verbose_name = "tranche de l'échéancier"
        verbose_name_plural = "tranches de l'échéancier"
        ordering = ["execution", "ordre"]
        # « À traiter » asks for the ateliers whose marché has a payable tranche on every home
        # page of a pilot: 3 500 of 27 000 tranches at 10 000 ateliers, read without the rest.
        indexes = [
            models.Index(
                fields=["execution"],
                condition=Q(statut="exigible"),
                name="tranche_exigible_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["execution", "ordre"], name="tranche_ordre_unique"),
            models.CheckConstraint(
                condition=Q(pourcentage__gt=0) & Q(pourcentage__lte=100),
                name="tranche_pourcentage_entre_0_et_100",
                violation_error_message="Le pourcentage d'une tranche est entre 0 et 100.",
            ),
        ]

    def __str__(self):
        return f"Tranche {self.ordre} — {self.libelle}"

    @property
    def marche(self):
        return self.execution.marche

    @property
    def atelier(self):
        return self.execution.marche.atelier

    def paye(self) -> Decimal:
        """What its payments add up to (the prefetched ones when the page loaded them)."""
        if "paiements" in getattr(self, "_prefetched_objects_cache", {}):
            return sum((p.montant for p in self.paiements.all()), Decimal(0))
        return self.paiements.aggregate(s=models.Sum("montant"))["s"] or Decimal(0)

    def reste(self) -> Decimal:
        return self.montant - self.paye()

    @transition(
        field=statut,
        source=Statut.PREVUE,
        target=Statut.EXIGIBLE,
        permission=_du_marche(PILOTER_MARCHE),
        custom={
            "code": CodeFinances.TRANCHE_EXIGIBLE,
            "journal": "Tranche exigible : jalon atteint",
            "libelle": "Constater le jalon atteint",
            "consequence": (
                "Le jalon de la tranche est atteint : elle devient exigible et peut être "
                "mandatée. Le service pilote en est prévenu par courriel."
            ),
        },
    )
    def rendre_exigible(self):
        """Its milestone is reached (a validated livrable, a session held…): it may be paid."""
        self.exigible_le = timezone.now()

    @transition(
        field=statut,
        source=Statut.EXIGIBLE,
        target=Statut.PAYEE,
        conditions=[_couverte],
        permission=_du_marche(PILOTER_MARCHE),
        custom={"code": CodeFinances.PAIEMENT_ENREGISTRE, "journal": "Tranche soldée"},
    )
    def solder(self, *, le: datetime.date):
        """Its payments now cover it: paid in full on `le` (the last mandatement)."""
        self.payee_le = le


class Paiement(models.Model):
    """A payment mandated on a tranche, once the service was done."""

    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="paiements")
    date_service_fait = models.DateField(
        "date du service fait", validators=[PlageDeDates(PREMIER_PAIEMENT)]
    )
    date_mandatement = models.DateField(
        "date de mandatement", validators=[PlageDeDates(PREMIER_PAIEMENT)]
    )
    montant = models.DecimalField(
        "montant TTC (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(CENTIME)],
    )
    enregistre_le = models.DateTimeField("enregistré le", default=timezone.now)
    enregistre_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "paiement"
        ordering = ["tranche", "date_mandatement", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant__gt=0),
                name="paiement_montant_positif",
                violation_error_message="Le montant d'un paiement est positif.",
            ),
            models.CheckConstraint(
                condition=Q(date_mandatement__gte=models.F("date_service_fait")),
                name="paiement_mandate_apres_service_fait",
                violation_error_message=(
                    "La date de mandatement ne peut pas précéder la date du service fait."
                ),
            ),
        ]

    def __str__(self):
        return f"Paiement de {euros(self.montant, centimes=True)} du {self.date_mandatement}"

    @property
    def atelier(self):
        return self.tranche.execution.marche.atelier
