"""The Atelier: the one record of an atelier's whole life and its phase."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from ateliers.models.phases import (
    ABANDON,
    ABANDONNER,
    INSTRUIRE,
    PHASES_ACCOMPAGNEMENT,
    PHASES_EN_COURS,
    PILOTER,
    PORTER,
    PREMIER_JOUR_DU_PORTAIL,
    SORTIES,
    CodeAtelier,
    Phase,
    sur_l_objet,
)
from comptes.models import Organisation
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from territoires.models import EPCI, Departement


class AtelierQuerySet(models.QuerySet):
    def en_cours(self):
        return self.filter(phase__in=PHASES_EN_COURS)

    def en_accompagnement(self):
        return self.filter(phase__in=PHASES_ACCOMPAGNEMENT)

    def pre_candidatures(self):
        return self.filter(phase=Phase.PRE_CANDIDATURE)

    def a_instruire(self):
        return self.filter(phase=Phase.INSTRUCTION)


class Atelier(ConcurrentTransitionMixin, models.Model):
    """One Atelier Local, from pré-candidature to clôture; its phase moves only by transitions."""

    intitule = models.CharField("intitulé", max_length=200, validators=[valider_une_seule_ligne])
    departements = models.ManyToManyField(
        Departement, verbose_name="départements", related_name="ateliers"
    )
    epcis = models.ManyToManyField(EPCI, verbose_name="EPCI", related_name="ateliers", blank=True)
    communes = models.TextField(
        "communes concernées",
        blank=True,
        help_text="Les communes du périmètre, séparées par des virgules.",
    )
    collectivites = models.ManyToManyField(
        Organisation,
        verbose_name="collectivités porteuses",
        related_name="ateliers_portes",
        blank=True,
        limit_choices_to={"type__in": Organisation.TYPES_COLLECTIVITE},
    )
    service_pilote = models.ForeignKey(
        Organisation,
        verbose_name="service de l'État pilote",
        related_name="ateliers_pilotes",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"type__in": [Organisation.Type.DDT, Organisation.Type.DREAL]},
    )
    operateur = models.ForeignKey(
        Organisation,
        verbose_name="opérateur de l'État associé",
        related_name="ateliers_operes",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"type": Organisation.Type.OPERATEUR},
    )
    groupement = models.ForeignKey(
        Organisation,
        verbose_name="groupement titulaire",
        related_name="missions",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"type": Organisation.Type.GROUPEMENT},
    )
    phase = FSMField(
        "phase",
        max_length=20,
        choices=Phase.choices,
        default=Phase.PRE_CANDIDATURE,
        protected=True,
        db_index=True,
    )
    phase_depuis = models.DateTimeField("dans cette phase depuis le", default=timezone.now)
    phase_avant_sortie = models.CharField(
        "phase au moment de la sortie", max_length=20, choices=Phase.choices, blank=True
    )
    motif_sortie = models.TextField("motif de l'abandon ou de la non-éligibilité", blank=True)
    # Set by the portal on the day; an admin's correction stays within the portal's years.
    debut_accompagnement = models.DateField(
        "début de l'accompagnement",
        null=True,
        blank=True,
        validators=[PlageDeDates(PREMIER_JOUR_DU_PORTAIL)],
    )
    fin_accompagnement = models.DateField(
        "clôture", null=True, blank=True, validators=[PlageDeDates(PREMIER_JOUR_DU_PORTAIL)]
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What holds on its objects, as bits (ateliers/faits.py): written by faits_recalculer
    # only, never by a save of the atelier (see save()).
    faits = models.PositiveIntegerField("faits", default=0, editable=False)

    objects = AtelierQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["phase_depuis", "modifie_le", "faits"])

    class Meta:
        verbose_name = "atelier"
        ordering = ["-cree_le"]
        permissions = [
            ("piloter_atelier", "Piloter l'atelier (service de l'État)"),
            ("porter_atelier", "Porter l'atelier (collectivité ou service pilote)"),
            ("instruire_atelier", "Instruire l'atelier (DGALN)"),
            ("abandonner_atelier", "Abandonner l'atelier"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phase__in=SORTIES) | ~Q(motif_sortie=""),
                name="atelier_sortie_motivee",
                violation_error_message="Un abandon ou une non-éligibilité doit être motivé.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.intitule}"

    def _do_update(self, base_qs, using, pk_val, values, *args, **kwargs):
        """A save never writes `faits`: a copy read before a marché or a livrable of the
        atelier changed would put back the bits that change rewrote."""
        values = [v for v in values if v[0].attname != "faits"]
        return super()._do_update(base_qs, using, pk_val, values, *args, **kwargs)

    @property
    def reference(self):
        """AL-<year of creation>-<number>: short, stable, and read out on the phone."""
        return f"AL-{self.annee}-{self.pk:04d}"

    @property
    def annee(self):
        return timezone.localtime(self.cree_le).year

    @property
    def est_sorti(self):
        return self.phase in SORTIES

    def _entrer(self, phase_depuis=None):
        self.phase_depuis = phase_depuis or timezone.now()

    @transition(
        field=phase,
        source=Phase.PRE_CANDIDATURE,
        target=Phase.CANDIDATURE,
        permission=sur_l_objet(INSTRUIRE),
        custom={
            "journal": "Opportunité confirmée",
            "libelle": "Confirmer l'opportunité",
            # The confirmation button, where « Confirmer : <libellé> » would stutter.
            "confirmation": "Confirmer l'opportunité",
            "consequence": (
                "La candidature s'ouvre : les porteurs peuvent rédiger la note d'opportunité."
            ),
            "etape": "candidatures.PreCandidature",
        },
    )
    def confirmer_opportunite(self):
        """DGALN confirms the opportunity after talking with the State service."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.PRE_CANDIDATURE,
        target=Phase.ABANDONNE,
        permission=sur_l_objet(INSTRUIRE),
        custom={
            "journal": "Opportunité déclinée",
            "libelle": "Décliner l'opportunité",
            "motif": True,
            "danger": True,
            "consequence": "L'atelier s'arrête ici ; le motif sera communiqué aux porteurs.",
            "etape": "candidatures.PreCandidature",
        },
    )
    def decliner_opportunite(self, *, motif):
        """DGALN does not confirm the opportunity: the atelier ends with its reason."""
        self._sortir(motif)

    @transition(
        field=phase,
        source=Phase.CANDIDATURE,
        target=Phase.INSTRUCTION,
        permission=sur_l_objet(PORTER),
        custom={
            "journal": "Candidature déposée",
            "libelle": "Déposer la candidature",
            "consequence": ("La candidature sera transmise à la DGALN pour instruction."),
            "etape": "candidatures.Candidature",
        },
    )
    def deposer(self):
        """The porteurs send their dossier to DGALN."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.INSTRUCTION,
        target=Phase.ELIGIBLE,
        permission=sur_l_objet(INSTRUIRE),
        custom={
            "journal": "Candidature déclarée éligible",
            "libelle": "Déclarer éligible",
            "consequence": ("Les porteurs pourront lancer le marché subséquent."),
            "etape": "candidatures.Candidature",
        },
    )
    def declarer_eligible(self):
        """DGALN declares the dossier eligible."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.INSTRUCTION,
        target=Phase.NON_ELIGIBLE,
        permission=sur_l_objet(INSTRUIRE),
        custom={
            "journal": "Candidature déclarée non éligible",
            "libelle": "Déclarer non éligible",
            "motif": True,
            "danger": True,
            "consequence": "L'atelier s'arrête ici ; le motif sera communiqué aux porteurs.",
            "etape": "candidatures.Candidature",
        },
    )
    def declarer_non_eligible(self, *, motif):
        """DGALN declares the dossier ineligible; the atelier ends with its reason."""
        self._sortir(motif)

    @transition(
        field=phase,
        source=Phase.ELIGIBLE,
        target=Phase.NON_ELIGIBLE,
        permission=sur_l_objet(INSTRUIRE),
        custom={
            "journal": "Décision corrigée : non éligible",
            "libelle": "Corriger la décision : non éligible",
            "motif": True,
            "danger": True,
            "consequence": "L'atelier s'arrête ici ; la décision précédente reste au journal.",
            "etape": "candidatures.Candidature",
            "correction": True,
        },
    )
    def corriger_non_eligible(self, *, motif):
        """DGALN corrects an eligibility before the marché starts: the atelier ends."""
        self._sortir(motif)

    @transition(
        field=phase,
        source=Phase.NON_ELIGIBLE,
        target=Phase.ELIGIBLE,
        permission=sur_l_objet(INSTRUIRE),
        custom={
            "journal": "Décision corrigée : éligible",
            "libelle": "Corriger la décision : éligible",
            "motif": True,
            "consequence": "L'atelier reprend : les porteurs pourront lancer le marché subséquent.",
            "etape": "candidatures.Candidature",
            "correction": True,
        },
    )
    def corriger_eligible(self, *, motif):
        """DGALN corrects a non-eligibility: the atelier comes back, its exit forgotten (the
        journal keeps both decisions and the reason of the correction)."""
        self.phase_avant_sortie, self.motif_sortie = "", ""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.ELIGIBLE,
        target=Phase.MARCHE,
        permission=sur_l_objet(PILOTER),
        custom={
            "code": CodeAtelier.MARCHE_LANCE,
            "journal": "Marché subséquent lancé",
            "libelle": "Lancer le marché subséquent",
            "consequence": (
                "Le service pilote consulte les groupements titulaires de l'accord-cadre."
            ),
            "etape": "marches.MarcheSubsequent",
        },
    )
    def lancer_marche(self):
        """The State service starts the marché subséquent."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.MARCHE,
        target=Phase.CADRAGE,
        permission=sur_l_objet(PILOTER),
        custom={
            "code": CodeAtelier.CADRAGE_DEMARRE,
            "journal": "Cadrage démarré",
            "libelle": "Démarrer le cadrage",
            "consequence": (
                "Le marché est notifié : l'accompagnement commence par la réunion de cadrage."
            ),
            "etape": "marches.MarcheSubsequent",
        },
    )
    def demarrer_cadrage(self, *, groupement=None):
        """The marché is notified: the accompagnement starts, with its groupement if known."""
        self._entrer()
        self.debut_accompagnement = timezone.localdate()
        if groupement is not None:
            self.groupement = groupement

    @transition(
        field=phase,
        source=Phase.CADRAGE,
        target=Phase.SESSION_1,
        permission=sur_l_objet(PILOTER),
        custom={
            "code": CodeAtelier.SESSION_1_DEMARREE,
            "journal": "Session 1 démarrée",
            "libelle": "Passer à la session 1",
            "consequence": ("L'atelier entre dans sa phase de diagnostic et d'enjeux."),
            "etape": "ateliers.Cadrage",
        },
    )
    def demarrer_session_1(self):
        """The cadrage is done; session 1 (diagnostic and stakes) comes next."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.SESSION_1,
        target=Phase.SESSION_2,
        permission=sur_l_objet(PILOTER),
        custom={
            "code": CodeAtelier.SESSION_2_DEMARREE,
            "journal": "Session 2 démarrée",
            "libelle": "Passer à la session 2",
            "consequence": ("L'atelier entre dans sa phase de stratégie."),
            "etape": "ateliers.Session",
        },
    )
    def demarrer_session_2(self):
        """Session 1 is done; session 2 (strategy) comes next."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.SESSION_2,
        target=Phase.SESSION_3,
        permission=sur_l_objet(PILOTER),
        custom={
            "code": CodeAtelier.SESSION_3_DEMARREE,
            "journal": "Session 3 démarrée",
            "libelle": "Passer à la session 3",
            "consequence": ("L'atelier entre dans sa phase de feuille de route."),
            "etape": "ateliers.Session",
        },
    )
    def demarrer_session_3(self):
        """Session 2 is done; session 3 (feuille de route) comes next."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.SESSION_3,
        target=Phase.RESTITUTION,
        permission=sur_l_objet(PILOTER),
        custom={
            "code": CodeAtelier.RESTITUTION_DEMARREE,
            "journal": "Restitution démarrée",
            "libelle": "Passer à la restitution",
            "consequence": (
                "Les sessions sont terminées : le groupement produit et restitue ses livrables."
            ),
            "etape": "ateliers.Session",
        },
    )
    def demarrer_restitution(self):
        """The three sessions are done; production and restitution come next."""
        self._entrer()

    @transition(
        field=phase,
        source=Phase.RESTITUTION,
        target=Phase.CLOTURE,
        permission=sur_l_objet(PILOTER),
        custom={
            "code": CodeAtelier.CLOTURE,
            "journal": "Atelier clôturé",
            "libelle": "Clôturer l'atelier",
            "consequence": ("L'atelier sera clôturé et ne pourra plus changer de phase."),
            "etape": "livrables.Cloture",
        },
    )
    def cloturer(self):
        """The five livrables are validated and the restitution held; the atelier is closed."""
        self._entrer()
        self.fin_accompagnement = timezone.localdate()

    # Abandoning belongs to the stage whose object is live in the atelier's phase: the
    # pré-candidature, then the candidature (closed with the atelier), the marché, then ateliers.
    @transition(
        field=phase,
        source=Phase.PRE_CANDIDATURE,
        target=Phase.ABANDONNE,
        permission=sur_l_objet(ABANDONNER),
        custom={**ABANDON, "etape": "candidatures.PreCandidature"},
    )
    @transition(
        field=phase,
        source=[Phase.CANDIDATURE, Phase.INSTRUCTION],
        target=Phase.ABANDONNE,
        permission=sur_l_objet(ABANDONNER),
        custom={**ABANDON, "etape": "candidatures.Candidature"},
    )
    @transition(
        field=phase,
        source=Phase.MARCHE,
        target=Phase.ABANDONNE,
        permission=sur_l_objet(ABANDONNER),
        custom={**ABANDON, "etape": "marches.MarcheSubsequent"},
    )
    @transition(
        field=phase,
        source=[Phase.ELIGIBLE, *PHASES_ACCOMPAGNEMENT],
        target=Phase.ABANDONNE,
        permission=sur_l_objet(ABANDONNER),
        custom={**ABANDON, "code": CodeAtelier.ABANDONNE},
    )
    def abandonner(self, *, motif):
        """The atelier stops before its end (declined opportunity, withdrawal…), with its reason."""
        self._sortir(motif)

    def _sortir(self, motif):
        if not motif or not motif.strip():
            raise ValueError("Le motif est obligatoire.")
        self.phase_avant_sortie = self.phase
        self.motif_sortie = motif.strip()
        self._entrer()
