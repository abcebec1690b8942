"""The three in-situ sessions of an atelier: their dates and place, programme, logistics and
participants; their state owns the atelier's steps from session 1 to the restitution."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models.atelier import Atelier
from ateliers.models.phases import Phase
from comptes.models import Organisation
from comptes.validators import valider_une_seule_ligne

PILOTER_SESSION = "ateliers.piloter_session"


def _sur_la_session(permission):
    """A session's transition is fired by who holds `permission` on that session."""

    def verifier(session, user):
        return user.has_perm(permission, session)

    return verifier


class CodeSession(models.TextChoices):
    """The journal's codes for the sessions."""

    PLANIFIEE = "session.planifiee", "Session planifiée"
    REPLANIFIEE = "session.replanifiee", "Session reportée à de nouvelles dates"
    CONVOCATIONS_ENVOYEES = "session.convocations_envoyees", "Convocations envoyées"
    TENUE = "session.tenue", "Session tenue"
    REPORTEE = "session.reportee", "Session reportée"
    COMPTE_RENDU_VALIDE = "session.compte_rendu_valide", "Compte-rendu validé"
    PROGRAMME_MODIFIE = "session.programme_modifie", "Programme modifié"
    LOGISTIQUE_MODIFIEE = "session.logistique_modifiee", "Logistique modifiée"
    PARTICIPANTS_MODIFIES = "session.participants_modifies", "Participants modifiés"
    PRESENCES_RELEVEES = "session.presences_relevees", "Présences relevées"
    COMPTE_RENDU_ENREGISTRE = "session.compte_rendu_enregistre", "Compte-rendu enregistré"


class Numero(models.IntegerChoices):
    """The session's rank, which gives its theme in the programme."""

    DIAGNOSTIC = 1, "Session 1 : diagnostic et enjeux"
    STRATEGIE = 2, "Session 2 : stratégie"
    FEUILLE_DE_ROUTE = 3, "Session 3 : feuille de route"


THEMES = {1: "Diagnostic et enjeux", 2: "Stratégie", 3: "Feuille de route"}
# The atelier's phase while each session is prepared, and the phase change its tenue fires.
PHASE_DE_LA_SESSION = {1: Phase.SESSION_1, 2: Phase.SESSION_2, 3: Phase.SESSION_3}
# The states in which a session has its dates and place.
DATEES = ["planifiee", "convocations_envoyees", "tenue", "compte_rendu_valide"]
PHASE_APRES_TENUE = {1: "demarrer_session_2", 2: "demarrer_session_3", 3: "demarrer_restitution"}


class SessionQuerySet(models.QuerySet):
    def a_venir(self):
        return self.filter(
            statut__in=[Session.Statut.PLANIFIEE, Session.Statut.CONVOCATIONS_ENVOYEES]
        )


class Session(ConcurrentTransitionMixin, models.Model):
    """One in-situ session of one or two days; held, it moves the atelier to its next phase."""

    class Statut(models.TextChoices):
        A_PLANIFIER = "a_planifier", "À planifier"
        PLANIFIEE = "planifiee", "Planifiée"
        CONVOCATIONS_ENVOYEES = "convocations_envoyees", "Convocations envoyées"
        TENUE = "tenue", "Tenue"
        COMPTE_RENDU_VALIDE = "compte_rendu_valide", "Compte-rendu validé"
        REPORTEE = "reportee", "Reportée"

    atelier = models.ForeignKey(
        Atelier, verbose_name="atelier", on_delete=models.PROTECT, related_name="sessions"
    )
    numero = models.PositiveSmallIntegerField("numéro", choices=Numero.choices)
    statut = FSMField(
        "statut",
        max_length=30,
        choices=Statut.choices,
        default=Statut.A_PLANIFIER,
        protected=True,
        db_index=True,
    )
    statut_depuis = models.DateTimeField("dans cet état depuis le", default=timezone.now)
    date = models.DateField("premier jour", null=True, blank=True)
    nombre_de_jours = models.PositiveSmallIntegerField(
        "nombre de jours",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        choices=[(1, "Une journée"), (2, "Deux journées")],
    )
    heure_debut = models.TimeField("heure de début", null=True, blank=True)
    heure_fin = models.TimeField(
        "heure de fin", null=True, blank=True, help_text="Du dernier jour, pour deux journées."
    )
    lieu = models.CharField(
        "lieu", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    adresse = models.CharField(
        "adresse", max_length=250, blank=True, validators=[valider_une_seule_ligne]
    )
    commune = models.CharField(
        "commune", max_length=100, blank=True, validators=[valider_une_seule_ligne]
    )
    motif_report = models.TextField("motif du report", blank=True)
    # The calendar event's identity (RFC 5545 UID), kept for ever; SEQUENCE counts its moves.
    uid = models.UUIDField("identifiant de calendrier", default=uuid.uuid4, unique=True)
    sequence = models.PositiveIntegerField("version de l'invitation", default=0)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session"
        ordering = ["atelier", "numero"]
        permissions = [
            ("piloter_session", "Piloter la session (service pilote)"),
            ("preparer_session", "Préparer le programme et le compte-rendu (groupement)"),
            ("gerer_logistique", "Gérer la logistique (collectivités porteuses)"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["atelier", "numero"], name="session_numero_unique"),
            models.CheckConstraint(
                condition=Q(numero__gte=1, numero__lte=3), name="session_numero_1_a_3"
            ),
            models.CheckConstraint(
                condition=Q(nombre_de_jours__in=[1, 2]), name="session_un_ou_deux_jours"
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=DATEES) | (Q(date__isnull=False) & ~Q(lieu="")),
                name="session_planifiee_datee",
                violation_error_message="Une session planifiée a sa date et son lieu.",
            ),
            models.CheckConstraint(
                condition=~Q(statut="reportee") | ~Q(motif_report=""),
                name="session_report_motive",
                violation_error_message="Un report est motivé.",
            ),
            models.CheckConstraint(
                condition=Q(nombre_de_jours=2)
                | Q(heure_debut__isnull=True)
                | Q(heure_fin__isnull=True)
                | Q(heure_fin__gt=F("heure_debut")),
                name="session_fin_apres_debut",
                violation_error_message="La session finit après avoir commencé.",
            ),
        ]

    def __str__(self):
        return f"{self.atelier.reference} — {self.get_numero_display()}"

    @property
    def theme(self):
        return THEMES[self.numero]

    @property
    def date_fin(self):
        """The last day: the first, or the next one for two days."""
        if self.date is None:
            return None
        return self.date + datetime.timedelta(days=self.nombre_de_jours - 1)

    @property
    def phase(self):
        """The atelier's phase in which this session is prepared and held."""
        return PHASE_DE_LA_SESSION[self.numero]

    def _entrer(self):
        self.statut_depuis = timezone.now()

    def _dater(self, *, date, nombre_de_jours, heure_debut, heure_fin, lieu, adresse, commune):
        self.date, self.nombre_de_jours = date, nombre_de_jours
        self.heure_debut, self.heure_fin = heure_debut, heure_fin
        self.lieu, self.adresse, self.commune = lieu, adresse, commune

    @transition(
        field=statut,
        source=Statut.A_PLANIFIER,
        target=Statut.PLANIFIEE,
        permission=_sur_la_session(PILOTER_SESSION),
        custom={
            "code": CodeSession.PLANIFIEE,
            "journal": "Session planifiée",
            "libelle": "Planifier la session",
            "consequence": (
                "Les dates et le lieu sont fixés ; les participants seront convoqués ensuite."
            ),
        },
    )
    @transition(
        field=statut,
        source=Statut.REPORTEE,
        target=Statut.PLANIFIEE,
        permission=_sur_la_session(PILOTER_SESSION),
        custom={
            "code": CodeSession.REPLANIFIEE,
            "journal": "Session reportée à de nouvelles dates",
            "libelle": "Fixer les nouvelles dates",
            "consequence": (
                "Les nouvelles dates sont fixées ; les participants seront convoqués à nouveau."
            ),
        },
    )
    def planifier(self, **lieu_et_dates):
        """The pilot fixes the dates and the place (again, after a report: the invitation's
        version goes up so that calendars replace the old one)."""
        if self.statut == self.Statut.REPORTEE:
            self.sequence += 1
            self.motif_report = ""
        self._dater(**lieu_et_dates)
        self._entrer()

    @transition(
        field=statut,
        source=Statut.PLANIFIEE,
        target=Statut.CONVOCATIONS_ENVOYEES,
        permission=_sur_la_session(PILOTER_SESSION),
        custom={
            "code": CodeSession.CONVOCATIONS_ENVOYEES,
            "journal": "Convocations envoyées",
            "libelle": "Envoyer les convocations",
            "consequence": (
                "Chaque participant reçoit par courriel sa convocation avec l'invitation à "
                "ajouter à son agenda."
            ),
        },
    )
    def convoquer(self):
        """The participants are sent their convocation."""
        self._entrer()

    @transition(
        field=statut,
        source=Statut.CONVOCATIONS_ENVOYEES,
        target=Statut.TENUE,
        permission=_sur_la_session(PILOTER_SESSION),
        custom={
            "code": CodeSession.TENUE,
            "journal": "Session tenue",
            "libelle": "Déclarer la session tenue",
            "consequence": (
                "L'atelier passe à l'étape suivante ; le groupement rédige le compte-rendu."
            ),
        },
    )
    def tenir(self):
        """The session took place: the atelier moves on, the compte-rendu is written."""
        self._entrer()

    @transition(
        field=statut,
        source=Statut.TENUE,
        target=Statut.COMPTE_RENDU_VALIDE,
        permission=_sur_la_session(PILOTER_SESSION),
        custom={
            "code": CodeSession.COMPTE_RENDU_VALIDE,
            "journal": "Compte-rendu validé",
            "libelle": "Valider le compte-rendu",
            "consequence": "Le compte-rendu ne sera plus modifiable ; les porteurs le lisent.",
        },
    )
    def valider_compte_rendu(self):
        """The pilot validates the groupement's compte-rendu: it is final."""
        self._entrer()

    @transition(
        field=statut,
        source=[Statut.PLANIFIEE, Statut.CONVOCATIONS_ENVOYEES],
        target=Statut.REPORTEE,
        permission=_sur_la_session(PILOTER_SESSION),
        custom={
            "code": CodeSession.REPORTEE,
            "journal": "Session reportée",
            "libelle": "Reporter la session",
            "motif": True,
            "danger": True,
            "consequence": (
                "Les dates sont annulées et les participants convoqués en sont informés ; "
                "de nouvelles dates se fixent ensuite."
            ),
        },
    )
    def reporter(self, *, motif):
        """The session will not take place on its dates: its invitation is cancelled."""
        self.motif_report = motif
        self.sequence += 1
        self._entrer()


class PointProgramme(models.Model):
    """One item of a session's agenda, written by the groupement."""

    session = models.ForeignKey(
        Session, verbose_name="session", on_delete=models.CASCADE, related_name="programme"
    )
    ordre = models.PositiveSmallIntegerField("ordre")
    jour = models.PositiveSmallIntegerField(
        "jour", default=1, choices=[(1, "Premier jour"), (2, "Second jour")]
    )
    heure_debut = models.TimeField("début", null=True, blank=True)
    heure_fin = models.TimeField("fin", null=True, blank=True)
    intitule = models.CharField("intitulé", max_length=200, validators=[valider_une_seule_ligne])
    intervenants = models.CharField("intervenants", max_length=300, blank=True)

    class Meta:
        verbose_name = "point du programme"
        verbose_name_plural = "points du programme"
        ordering = ["session", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["session", "ordre"], name="programme_ordre_unique"),
            models.CheckConstraint(
                condition=Q(heure_debut__isnull=True)
                | Q(heure_fin__isnull=True)
                | Q(heure_fin__gt=F("heure_debut")),
                name="programme_fin_apres_debut",
            ),
        ]

    def __str__(self):
        return self.intitule


class LigneLogistique(models.Model):
    """What a collectivité porteuse pays for a session (room, catering, transport…)."""

    class Poste(models.TextChoices):
        SALLE = "salle", "Salle"
        RESTAURATION = "restauration", "Restauration"
        TRANSPORT = "transport", "Transport"
        MATERIEL = "materiel", "Matériel"
        AUTRE = "autre", "Autre"

    session = models.ForeignKey(
        Session, verbose_name="session", on_delete=models.CASCADE, related_name="logistique"
    )
    poste = models.CharField("poste", max_length=20, choices=Poste.choices)
    description = models.CharField(
        "description", max_length=250, validators=[valider_une_seule_ligne]
    )
    cout_estime = models.DecimalField(
        "coût estimé (€ TTC)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    cout_reel = models.DecimalField(
        "coût réel (€ TTC)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    payeur = models.ForeignKey(
        Organisation,
        verbose_name="payée par",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type__in": Organisation.TYPES_COLLECTIVITE},
    )

    class Meta:
        verbose_name = "ligne de logistique"
        verbose_name_plural = "lignes de logistique"
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(cout_estime__isnull=True) | Q(cout_estime__gte=0))
                & (Q(cout_reel__isnull=True) | Q(cout_reel__gte=0)),
                name="logistique_couts_positifs",
            ),
        ]

    def __str__(self):
        return f"{self.get_poste_display()} — {self.description}"


class Participant(models.Model):
    """A person invited to a session, with or without an account on the portal."""

    class College(models.TextChoices):
        ELUS = "elus", "Élus"
        ETAT = "etat", "Services de l'État"
        OPERATEURS = "operateurs", "Opérateurs"
        SOCIO_ECONOMIQUES = "socio_economiques", "Acteurs socio-économiques"
        ASSOCIATIONS = "associations", "Associations"
        HABITANTS = "habitants", "Habitants"

    class Presence(models.TextChoices):
        INCONNUE = "inconnue", "Non relevée"
        PRESENT = "present", "Présent"
        ABSENT = "absent", "Absent"

    session = models.ForeignKey(
        Session, verbose_name="session", on_delete=models.CASCADE, related_name="participants"
    )
    prenom = models.CharField("prénom", max_length=100, validators=[valider_une_seule_ligne])
    nom = models.CharField("nom", max_length=100, validators=[valider_une_seule_ligne])
    courriel = models.EmailField("adresse électronique")
    organisation = models.CharField(
        "organisation", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    college = models.CharField("collège", max_length=20, choices=College.choices)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte sur le portail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    invite_le = models.DateTimeField("convoqué le", null=True, blank=True)
    presence = models.CharField(
        "présence", max_length=10, choices=Presence.choices, default=Presence.INCONNUE
    )

    class Meta:
        verbose_name = "participant"
        ordering = ["session", "nom", "prenom", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "courriel"],
                name="participant_une_fois_par_session",
                violation_error_message="Cette personne est déjà invitée à la session.",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"
