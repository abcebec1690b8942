"""Users, the organisations they belong to, the roles those organisations give them, and the
outbox of the e-mails the portal sends them."""

import uuid
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from comptes.validators import valider_une_seule_ligne
from territoires.models import Departement, Region

if TYPE_CHECKING:
    from comptes.selectors import Profil

siren_validator = RegexValidator(r"^\d{9}$", "Le SIREN compte exactement 9 chiffres.")
siret_validator = RegexValidator(r"^\d{14}$", "Le SIRET compte exactement 14 chiffres.")


class UtilisateurManager(BaseUserManager["Utilisateur"]):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class Utilisateur(AbstractBaseUser, PermissionsMixin):
    """A person; logs in with their e-mail address and acts for one or more organisations."""

    email = models.EmailField("adresse électronique", unique=True)
    prenom = models.CharField("prénom", max_length=150, validators=[valider_une_seule_ligne])
    nom = models.CharField("nom", max_length=150, validators=[valider_une_seule_ligne])
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField(
        "administrateur",
        default=False,
        help_text="Accède à l'administration du portail (référentiels, comptes, corrections).",
    )
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UtilisateurManager()
    # Kept on the user object for the request by comptes.selectors.profil, never stored.
    _profil: "Profil"

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["prenom", "nom"]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["nom", "prenom"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.prenom} {self.nom}".strip()

    def get_short_name(self):
        return self.prenom


class Role(models.TextChoices):
    """What an organisation's members do in the programme; derived from the organisation's type."""

    COLLECTIVITE = "collectivite", "Collectivité"
    SERVICE_ETAT = "service_etat", "Service déconcentré de l'État"
    OPERATEUR = "operateur", "Opérateur de l'État"
    DGALN = "dgaln", "DGALN"
    GROUPEMENT = "groupement", "Groupement"


class OrganisationQuerySet(models.QuerySet):
    def collectivites(self):
        return self.filter(type__in=Organisation.TYPES_COLLECTIVITE)

    def services_etat(self):
        return self.filter(type__in=[Organisation.Type.DDT, Organisation.Type.DREAL])

    def groupements(self):
        return self.filter(type=Organisation.Type.GROUPEMENT)


class Organisation(models.Model):
    class Type(models.TextChoices):
        COMMUNE = "commune", "Commune"
        EPCI = "epci", "EPCI (intercommunalité)"
        SYNDICAT = "syndicat", "Syndicat (SCOT, PETR…)"
        AUTRE_COLLECTIVITE = "autre_collectivite", "Autre collectivité"
        DDT = "ddt", "DDT(M)"
        DREAL = "dreal", "D(R)EAL"
        OPERATEUR = "operateur", "Opérateur de l'État"
        DGALN = "dgaln", "DGALN"
        GROUPEMENT = "groupement", "Groupement (équipe pluridisciplinaire)"

    TYPES_COLLECTIVITE = (Type.COMMUNE, Type.EPCI, Type.SYNDICAT, Type.AUTRE_COLLECTIVITE)
    ROLES: dict[str, Role] = {
        **dict.fromkeys(TYPES_COLLECTIVITE, Role.COLLECTIVITE),
        Type.DDT: Role.SERVICE_ETAT,
        Type.DREAL: Role.SERVICE_ETAT,
        Type.OPERATEUR: Role.OPERATEUR,
        Type.DGALN: Role.DGALN,
        Type.GROUPEMENT: Role.GROUPEMENT,
    }

    nom = models.CharField("nom", max_length=200, validators=[valider_une_seule_ligne])
    type = models.CharField("type", max_length=20, choices=Type.choices)
    siren = models.CharField(
        "SIREN",
        max_length=9,
        blank=True,
        validators=[siren_validator],
        help_text="9 chiffres, pour les collectivités, opérateurs et membres de groupements.",
    )
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[siret_validator],
        help_text=(
            "14 chiffres : celui du service de l'État acheteur, publié dans les données "
            "essentielles de ses marchés (DECP)."
        ),
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="Le territoire d'une DDT(M) ; le département d'une collectivité.",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="Le territoire d'une D(R)EAL.",
    )
    membres = models.ManyToManyField(
        Utilisateur, through="Adhesion", related_name="organisations", verbose_name="membres"
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisation"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"], condition=~Q(siren=""), name="organisation_siren_unique"
            ),
            models.CheckConstraint(
                condition=~Q(type="ddt") | Q(departement__isnull=False),
                name="organisation_ddt_a_un_departement",
                violation_error_message="Une DDT(M) couvre un département : indiquez-le.",
            ),
            models.CheckConstraint(
                condition=~Q(type="dreal") | Q(region__isnull=False),
                name="organisation_dreal_a_une_region",
                violation_error_message="Une D(R)EAL couvre une région : indiquez-la.",
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def role(self):
        return self.ROLES[self.type]

    @property
    def territoire(self):
        """What the organisation covers: a département, a région, or the whole country."""
        if self.type == self.Type.DGALN:
            return "France entière"
        if self.type == self.Type.DREAL:
            return str(self.region)
        return str(self.departement) if self.departement_id else ""


class Adhesion(models.Model):
    """A user's membership of an organisation; their role there follows the organisation's type."""

    utilisateur = models.ForeignKey(
        Utilisateur, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="adhesions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="adhesions",
    )
    fonction = models.CharField("fonction", max_length=150, blank=True)
    cree_le = models.DateTimeField("depuis le", auto_now_add=True)

    class Meta:
        verbose_name = "adhésion"
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "organisation"], name="adhesion_unique")
        ]

    def __str__(self):
        return f"{self.utilisateur} — {self.organisation}"


class MembreGroupement(models.Model):
    """A firm of a groupement: its mandataire or one of its co-traitants, with their fields."""

    class Role(models.TextChoices):
        MANDATAIRE = "mandataire", "Mandataire"
        CO_TRAITANT = "co_traitant", "Co-traitant"

    groupement = models.ForeignKey(
        Organisation,
        verbose_name="groupement",
        on_delete=models.CASCADE,
        related_name="membres_groupement",
        limit_choices_to={"type": Organisation.Type.GROUPEMENT},
    )
    nom = models.CharField("raison sociale", max_length=200, validators=[valider_une_seule_ligne])
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    competences = models.CharField("compétences", max_length=300, blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "membre de groupement"
        verbose_name_plural = "membres de groupement"
        ordering = ["groupement", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["groupement", "nom"], name="membre_groupement_unique"),
            models.UniqueConstraint(
                fields=["groupement"],
                condition=Q(role="mandataire"),
                name="groupement_un_seul_mandataire",
            ),
        ]

    def __str__(self):
        return f"{self.nom} ({self.get_role_display()})"


class CourrielQuerySet(models.QuerySet):
    def a_relancer(self, avant):
        """Pending e-mails due before `avant` and still there: their queue message was lost
        (broker down at commit time, retry lost with its worker)."""
        return self.filter(etat=Courriel.Etat.EN_ATTENTE, prochain_essai_le__lt=avant)


class Courriel(models.Model):
    """One e-mail to one person, written in the transaction of the action that sends it and
    delivered by a task, exactly once.

    One row per recipient rather than per message: nobody sees the other recipients' addresses,
    an address the mail server refuses fails and is retried alone, and « sent once » is a fact
    about one mailbox that one row's state can hold.
    """

    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        ENVOYE = "envoye", "Envoyé"
        ECHEC = "echec", "Échec"

    # Also the Message-ID: a copy sent again after a crash is recognisable as the same e-mail.
    cle = models.UUIDField("clé", default=uuid.uuid4, unique=True, editable=False)
    gabarit = models.CharField("gabarit", max_length=100, blank=True)
    destinataire = models.EmailField("destinataire")
    # 998: the longest header line RFC 5322 allows.
    sujet = models.CharField("objet", max_length=998)
    corps = models.TextField("texte")
    html = models.TextField("version HTML", blank=True)
    # One text attachment written with the e-mail (a calendar invitation): the outbox row alone
    # says everything that is sent, again after a crash.
    piece_jointe = models.TextField("pièce jointe", blank=True)
    piece_jointe_nom = models.CharField("nom de la pièce jointe", max_length=100, blank=True)
    piece_jointe_type = models.CharField("type de la pièce jointe", max_length=100, blank=True)
    # A reset link opens the account: nobody reads it here, and it is erased once delivered.
    confidentiel = models.BooleanField("confidentiel", default=False)
    etat = FSMField(
        "état", max_length=20, choices=Etat.choices, default=Etat.EN_ATTENTE, protected=True
    )
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    derniere_erreur = models.TextField("dernière erreur", blank=True)
    cree_le = models.DateTimeField("écrit le", default=timezone.now)
    prochain_essai_le = models.DateTimeField("prochain essai le", default=timezone.now)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)

    objects = CourrielQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel"
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["etat", "prochain_essai_le"], name="courriel_a_relancer")]

    def __str__(self):
        return f"{self.sujet} — {self.destinataire}"

    @transition(field=etat, source=Etat.EN_ATTENTE, target=Etat.ENVOYE)
    def envoyer(self):
        """The mail server accepted it."""
        self.tentatives += 1
        self.envoye_le = timezone.now()
        self._effacer_si_confidentiel()

    @transition(field=etat, source=Etat.EN_ATTENTE, target=Etat.EN_ATTENTE)
    def reporter(self, *, erreur, dans):
        """An attempt failed; the next one is due in `dans`."""
        self.tentatives += 1
        self.derniere_erreur = erreur[:5000]
        self.prochain_essai_le = timezone.now() + dans

    @transition(field=etat, source=Etat.EN_ATTENTE, target=Etat.ECHEC)
    def echouer(self, *, erreur):
        """Given up: the error cannot be fixed by waiting, or the retries are spent."""
        self.tentatives += 1
        self.derniere_erreur = erreur[:5000]
        self._effacer_si_confidentiel()

    def _effacer_si_confidentiel(self):
        if self.confidentiel:
            self.corps = self.html = ""


# Who makes a request: a user, or nobody logged in (request.user).
AnyUser: TypeAlias = Utilisateur | AnonymousUser
