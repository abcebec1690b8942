"""The offers the consulted groupements sent on PLACE, as the pilot records them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from comptes.models import Organisation
from documents.models import FichierDepose
from marches.models.accord_cadre import TypeGroupement
from marches.models.marche import PILOTER_MARCHE, Consultation, VersionCctp


def _du_marche(permission):
    def verifier(offre, user):
        return user.has_perm(permission, offre.consultation.marche)

    return verifier


class CodeOffre(models.TextChoices):
    """The journal's codes for the offers."""

    ENREGISTREE = "offre.enregistree", "Offre enregistrée"
    HORS_DELAI = "offre.hors_delai", "Offre reçue hors délai"
    IRREGULIERE = "offre.irreguliere", "Offre déclarée irrégulière"
    INACCEPTABLE = "offre.inacceptable", "Offre déclarée inacceptable"
    REGULARISATION_DEMANDEE = "offre.regularisation_demandee", "Régularisation demandée"
    REGULARISEE = "offre.regularisee", "Offre régularisée"


class OffreQuerySet(models.QuerySet):
    def classables(self):
        """The offers the analysis ranks: received in time, neither irregular nor unacceptable."""
        return self.filter(statut__in=[Offre.Statut.RECUE, Offre.Statut.A_REGULARISER])


class Offre(ConcurrentTransitionMixin, models.Model):
    """One groupement's offer in one consultation round: at most one each."""

    class Statut(models.TextChoices):
        RECUE = "recue", "Reçue"
        A_REGULARISER = "a_regulariser", "Régularisation demandée"
        HORS_DELAI = "hors_delai", "Hors délai"
        IRREGULIERE = "irreguliere", "Irrégulière"
        INACCEPTABLE = "inacceptable", "Inacceptable"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="offres")
    groupement = models.ForeignKey(
        Organisation,
        verbose_name="groupement",
        on_delete=models.PROTECT,
        related_name="offres",
        limit_choices_to={"type": Organisation.Type.GROUPEMENT},
    )
    version_cctp = models.ForeignKey(
        VersionCctp,
        verbose_name="version du CCTP à laquelle elle répond",
        on_delete=models.PROTECT,
        related_name="offres",
    )
    recue_le = models.DateTimeField("reçue le")
    statut = FSMField(
        "statut", max_length=20, choices=Statut.choices, default=Statut.RECUE, protected=True
    )
    motif = models.TextField("motif de l'exclusion ou de la régularisation", blank=True)
    montant_ht = models.DecimalField(
        "montant HT (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    montant_tva = models.DecimalField(
        "TVA (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    montant_ttc = models.DecimalField("montant TTC (€)", max_digits=12, decimal_places=2)
    # The bordereau des prix: [{"phase": …, "montant_ht": "12000.00"}, …]
    decomposition = models.JSONField("décomposition du prix par phase", default=list, blank=True)
    type_groupement = models.CharField(
        "type de groupement",
        max_length=20,
        choices=TypeGroupement.choices,
        default=TypeGroupement.CONJOINT,
    )
    note_methodologique = models.ForeignKey(
        FichierDepose,
        verbose_name="note méthodologique",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presentation_competences = models.ForeignKey(
        FichierDepose,
        verbose_name="présentation des compétences techniques",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposition_financiere = models.ForeignKey(
        FichierDepose,
        verbose_name="proposition financière",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enregistree_le = models.DateTimeField("enregistrée le", default=timezone.now)
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OffreQuerySet.as_manager()

    class Meta:
        verbose_name = "offre"
        ordering = ["consultation", "recue_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "groupement"], name="une_offre_par_groupement"
            ),
            models.CheckConstraint(
                condition=Q(montant_ttc=models.F("montant_ht") + models.F("montant_tva")),
                name="offre_ttc_egal_ht_plus_tva",
                violation_error_message="Le montant TTC est la somme du montant HT et de la TVA.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=["recue", "hors_delai"]) | ~Q(motif=""),
                name="offre_exclusion_motivee",
                violation_error_message="Une exclusion ou une régularisation est motivée.",
            ),
        ]

    def __str__(self):
        return f"Offre de {self.groupement}"

    @property
    def marche(self):
        return self.consultation.marche

    @property
    def atelier(self):
        return self.consultation.marche.atelier

    @property
    def exclue(self) -> bool:
        return self.statut in (
            self.Statut.HORS_DELAI,
            self.Statut.IRREGULIERE,
            self.Statut.INACCEPTABLE,
        )

    @transition(
        field=statut,
        source=Statut.RECUE,
        target=Statut.HORS_DELAI,
        permission=_du_marche(PILOTER_MARCHE),
        custom={"code": CodeOffre.HORS_DELAI, "journal": "Offre reçue hors délai"},
    )
    def constater_hors_delai(self):
        """Received after the deadline: recorded and shown, never analysed."""
        self.motif = "Offre reçue après la date et l'heure limites de remise des offres."

    @transition(
        field=statut,
        source=[Statut.RECUE, Statut.A_REGULARISER],
        target=Statut.IRREGULIERE,
        permission=_du_marche(PILOTER_MARCHE),
        custom={
            "code": CodeOffre.IRREGULIERE,
            "journal": "Offre déclarée irrégulière",
            "libelle": "Déclarer l'offre irrégulière",
            "motif": True,
            "danger": True,
            "consequence": "L'offre sera écartée du classement ; le motif sera conservé.",
        },
    )
    def declarer_irreguliere(self, *, motif):
        """Incomplete or not compliant with the CCTP (code de la commande publique, L. 2152-2)."""
        self.motif = motif

    @transition(
        field=statut,
        source=[Statut.RECUE, Statut.A_REGULARISER],
        target=Statut.INACCEPTABLE,
        permission=_du_marche(PILOTER_MARCHE),
        custom={
            "code": CodeOffre.INACCEPTABLE,
            "journal": "Offre déclarée inacceptable",
            "libelle": "Déclarer l'offre inacceptable",
            "motif": True,
            "danger": True,
            "consequence": "L'offre sera écartée du classement ; le motif sera conservé.",
        },
    )
    def declarer_inacceptable(self, *, motif):
        """Its price exceeds the credits available (code de la commande publique, L. 2152-3)."""
        self.motif = motif

    @transition(
        field=statut,
        source=Statut.RECUE,
        target=Statut.A_REGULARISER,
        permission=_du_marche(PILOTER_MARCHE),
        custom={
            "code": CodeOffre.REGULARISATION_DEMANDEE,
            "journal": "Régularisation demandée",
            "libelle": "Demander la régularisation",
            "motif": True,
            "consequence": "Le groupement sera invité à régulariser son offre dans un délai.",
        },
    )
    def demander_regularisation(self, *, motif):
        """An irregular offer may be regularised if it is not abnormally low (R. 2152-2)."""
        self.motif = motif

    @transition(
        field=statut,
        source=Statut.A_REGULARISER,
        target=Statut.RECUE,
        permission=_du_marche(PILOTER_MARCHE),
        custom={
            "code": CodeOffre.REGULARISEE,
            "journal": "Offre régularisée",
            "libelle": "Constater la régularisation",
            "consequence": "L'offre régularisée est analysée comme les autres.",
        },
    )
    def regulariser(self):
        """The groupement has regularised its offer."""
        self.motif = ""
