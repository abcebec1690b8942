"""The candidature: its state from drafting to DGALN's decision, and its deposited
versions (its signed letters: courrier.py)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models import ABANDONNER, Atelier, Phase
from candidatures.models.parties import manques_du_dossier

DEPOSER = "candidatures.deposer_candidature"


INSTRUIRE = "candidatures.instruire_candidature"


class CodeCandidature(models.TextChoices):
    """The journal's codes for the candidature, its letters and its review."""

    DEPOSEE = "candidature.deposee", "Candidature déposée"
    PRISE_EN_CHARGE = "candidature.prise_en_charge", "Candidature prise en charge"
    SUIVIE = "candidature.suivie", "Dossier suivi"
    COMPLEMENTS_DEMANDES = "candidature.complements_demandes", "Compléments demandés"
    ELIGIBLE = "candidature.eligible", "Candidature déclarée éligible"
    NON_ELIGIBLE = "candidature.non_eligible", "Candidature déclarée non éligible"
    CORRIGEE_ELIGIBLE = "candidature.corrigee_eligible", "Décision corrigée : éligible"
    CORRIGEE_NON_ELIGIBLE = "candidature.corrigee_non_eligible", "Décision corrigée : non éligible"
    ABANDONNEE = "candidature.abandonnee", "Atelier abandonné pendant la candidature"
    COURRIER_DEPOSE = "courrier.depose", "Courrier signé déposé"
    COURRIER_REMPLACE = "courrier.remplace", "Courrier signé remplacé"


def _abandon_permis(candidature, user):
    """The candidature ends with its atelier: who may abandon the atelier may close it."""
    return user.has_perm(ABANDONNER, candidature.atelier)


class CandidatureQuerySet(models.QuerySet):
    def a_instruire(self):
        """Deposited and waiting for DGALN: the review queue."""
        return self.filter(statut__in=Candidature.EN_ATTENTE_DGALN)

    def recues(self):
        """Deposited at least once."""
        return self.filter(versions__isnull=False).distinct()


class Candidature(ConcurrentTransitionMixin, models.Model):
    """The note d'opportunité valant candidature and its courriers, opened when DGALN confirms
    the opportunity; written by every member of the porteur organisations until the dépôt,
    then reviewed by DGALN, who may send named parts back for compléments, and decides."""

    class Statut(models.TextChoices):
        EN_REDACTION = "en_redaction", "En rédaction"
        DEPOSEE = "deposee", "Déposée"
        EN_INSTRUCTION = "en_instruction", "En instruction"
        COMPLEMENTS_DEMANDES = "complements_demandes", "Compléments demandés"
        ELIGIBLE = "eligible", "Éligible"
        NON_ELIGIBLE = "non_eligible", "Non éligible"
        ABANDONNEE = "abandonnee", "Close (atelier abandonné)"

    # What DGALN has to act on.
    EN_ATTENTE_DGALN = (Statut.DEPOSEE, Statut.EN_INSTRUCTION)

    atelier = models.OneToOneField(
        Atelier, verbose_name="atelier", on_delete=models.CASCADE, related_name="candidature"
    )
    # Indexed: the review queue, « à traiter » and the counter look candidatures up by state.
    statut = FSMField(
        "statut",
        max_length=20,
        choices=Statut.choices,
        default=Statut.EN_REDACTION,
        protected=True,
        db_index=True,
    )
    cree_le = models.DateTimeField("ouverte le", auto_now_add=True)
    suivie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suivie par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidatures_suivies",
    )
    # The parts (slugs of models.parties.PARTIES) and letters (Courrier.Type) DGALN sent back.
    complements = models.JSONField("pièces à compléter", default=list, blank=True)

    objects = CandidatureQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"

    def __str__(self):
        return f"Candidature — {self.atelier}"

    @property
    def modifiable(self):
        """Some part may be written: the whole note while drafted, the parts sent back."""
        return self.statut in (self.Statut.EN_REDACTION, self.Statut.COMPLEMENTS_DEMANDES)

    def piece_modifiable(self, cle):
        """May the part (its slug) or letter (its type) `cle` be written now?"""
        if self.statut == self.Statut.EN_REDACTION:
            return True
        return self.statut == self.Statut.COMPLEMENTS_DEMANDES and cle in self.complements

    @property
    def decidee(self):
        return self.statut in (self.Statut.ELIGIBLE, self.Statut.NON_ELIGIBLE)

    @transition(
        field=statut,
        source=[Statut.EN_REDACTION, Statut.COMPLEMENTS_DEMANDES],
        target=Statut.DEPOSEE,
        permission=DEPOSER,
        conditions=[lambda candidature: candidature.complete],
        custom={
            "code": CodeCandidature.DEPOSEE,
            "journal": "Dossier de candidature déposé",
            "libelle": "Déposer la candidature",
            "consequence": "La candidature sera transmise à la DGALN et ne sera plus modifiable.",
        },
    )
    def deposer(self):
        """The porteurs send the complete dossier (every part, the three signed letters) to
        DGALN; the note can no longer be changed, compléments included."""
        self.complements = []

    @transition(
        field=statut,
        source=Statut.DEPOSEE,
        target=Statut.EN_INSTRUCTION,
        permission=INSTRUIRE,
        custom={
            "code": CodeCandidature.PRISE_EN_CHARGE,
            "journal": "Candidature prise en charge par la DGALN",
            "libelle": "Prendre en charge",
            "consequence": "La DGALN commence l'analyse de l'éligibilité du dossier.",
        },
    )
    def instruire(self):
        """DGALN takes the deposited dossier in hand to review its eligibility."""

    @transition(
        field=statut,
        source=EN_ATTENTE_DGALN,
        target=Statut.COMPLEMENTS_DEMANDES,
        permission=INSTRUIRE,
        custom={
            "code": CodeCandidature.COMPLEMENTS_DEMANDES,
            "journal": "Compléments demandés",
            "libelle": "Demander des compléments",
            "consequence": "Seules les pièces nommées redeviennent modifiables ; les porteurs "
            "déposeront une nouvelle version, qui reviendra dans la file d'instruction.",
        },
    )
    def demander_complements(self, *, pieces):
        """DGALN sends the dossier back: only the named parts and letters reopen."""
        if not pieces:
            raise ValueError("Nommez au moins une pièce à compléter.")
        self.complements = list(pieces)

    @transition(
        field=statut,
        source=EN_ATTENTE_DGALN,
        target=Statut.ELIGIBLE,
        permission=INSTRUIRE,
        custom={
            "code": CodeCandidature.ELIGIBLE,
            "journal": "Candidature déclarée éligible",
            "libelle": "Déclarer éligible",
            "consequence": "Les porteurs sont prévenus et reçoivent la lettre de décision ; "
            "le service pilote pourra lancer le marché subséquent.",
        },
    )
    def declarer_eligible(self):
        """DGALN finds the dossier eligible (its Decision keeps the motivation and date)."""

    @transition(
        field=statut,
        source=EN_ATTENTE_DGALN,
        target=Statut.NON_ELIGIBLE,
        permission=INSTRUIRE,
        custom={
            "code": CodeCandidature.NON_ELIGIBLE,
            "journal": "Candidature déclarée non éligible",
            "libelle": "Déclarer non éligible",
            "danger": True,
            "consequence": "L'atelier s'arrête ici ; les porteurs reçoivent la lettre de "
            "décision et sa motivation.",
        },
    )
    def declarer_non_eligible(self):
        """DGALN finds the dossier not eligible (its Decision keeps the motivation and date)."""

    @transition(
        field=statut,
        source=Statut.NON_ELIGIBLE,
        target=Statut.ELIGIBLE,
        permission=INSTRUIRE,
        custom={
            "code": CodeCandidature.CORRIGEE_ELIGIBLE,
            "journal": "Décision corrigée : éligible",
            "libelle": "Corriger la décision : éligible",
            "motif": True,
            "consequence": "La décision précédente reste au journal ; les porteurs reçoivent "
            "une nouvelle lettre de décision.",
        },
    )
    def corriger_eligible(self, *, motif):
        """DGALN corrects a non-eligibility, with its reason (kept by the new Decision)."""

    @transition(
        field=statut,
        source=Statut.ELIGIBLE,
        target=Statut.NON_ELIGIBLE,
        permission=INSTRUIRE,
        conditions=[lambda candidature: candidature.atelier.phase == Phase.ELIGIBLE],
        custom={
            "code": CodeCandidature.CORRIGEE_NON_ELIGIBLE,
            "journal": "Décision corrigée : non éligible",
            "libelle": "Corriger la décision : non éligible",
            "motif": True,
            "danger": True,
            "consequence": "L'atelier s'arrête ; la décision précédente reste au journal et les "
            "porteurs reçoivent une nouvelle lettre de décision.",
        },
    )
    def corriger_non_eligible(self, *, motif):
        """DGALN corrects an eligibility before the marché starts, with its reason (kept by
        the new Decision)."""

    @transition(
        field=statut,
        source=[
            Statut.EN_REDACTION,
            Statut.DEPOSEE,
            Statut.EN_INSTRUCTION,
            Statut.COMPLEMENTS_DEMANDES,
        ],
        target=Statut.ABANDONNEE,
        permission=_abandon_permis,
        custom={
            "code": CodeCandidature.ABANDONNEE,
            "journal": "Atelier abandonné",
            "libelle": "Abandonner l'atelier",
            "motif": True,
            "danger": True,
        },
    )
    def abandonner(self, *, motif):
        """The atelier stops during its candidature: the note closes, and the dossier leaves
        DGALN's queue."""
        self.complements = []

    @property
    def complete(self):
        """Every part of the note complete and the three signed letters downloadable."""
        return not manques_du_dossier(self)


class VersionCandidature(models.Model):
    """One deposited version of the dossier, frozen: every part of the note as it was read,
    and the signed letters sent with it. A new dépôt (after compléments) adds the next one."""

    candidature = models.ForeignKey(
        Candidature, verbose_name="candidature", on_delete=models.PROTECT, related_name="versions"
    )
    numero = models.PositiveIntegerField("numéro")
    depose_le = models.DateTimeField("déposée le", default=timezone.now)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contenu = models.JSONField("contenu", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "version déposée de la candidature"
        verbose_name_plural = "versions déposées des candidatures"
        ordering = ["candidature", "-numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "numero"], name="version_candidature_unique"
            )
        ]

    def __str__(self):
        return f"{self.candidature} — version {self.numero}"
