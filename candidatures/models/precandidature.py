"""The themes and the pré-candidature: the first contact, before DGALN confirms it."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models import ABANDONNER, INSTRUIRE, Atelier
from comptes.validators import valider_une_seule_ligne


def _sur_l_atelier(permission):
    """A pré-candidature's decision is taken by who may take it on its atelier."""

    def verifier(precandidature, user):
        return user.has_perm(permission, precandidature.atelier)

    return verifier


class CodePreCandidature(models.TextChoices):
    """The journal's codes for the pré-candidature."""

    OUVERTE = "precandidature.ouverte", "Pré-candidature ouverte"
    CONFIRMEE = "precandidature.confirmee", "Opportunité confirmée"
    DECLINEE = "precandidature.declinee", "Opportunité déclinée"
    ABANDONNEE = "precandidature.abandonnee", "Pré-candidature abandonnée"


class Thematique(models.Model):
    """A theme an atelier can treat: the programme's controlled list, kept by the admins."""

    class Famille(models.TextChoices):
        TERRITORIALES = "territoriales", "Transitions territoriales et urbaines"
        SOCIETALES = "societales", "Transitions culturelles, sociales, économiques et civiques"
        ENVIRONNEMENTALES = "environnementales", "Transitions environnementales et énergétiques"

    code = models.SlugField("code", max_length=60, unique=True)
    libelle = models.CharField("libellé", max_length=200)
    famille = models.CharField("famille", max_length=20, choices=Famille.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("proposée", default=True)

    class Meta:
        verbose_name = "thématique"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class PreCandidature(ConcurrentTransitionMixin, models.Model):
    """The first contact: why the territory wants an atelier, before DGALN confirms it. Its
    state owns the atelier's first phase: each of its transitions moves the atelier with it."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente de qualification"
        CONFIRMEE = "confirmee", "Opportunité confirmée"
        DECLINEE = "declinee", "Opportunité déclinée"
        ABANDONNEE = "abandonnee", "Abandonnée"

    atelier = models.OneToOneField(
        Atelier, verbose_name="atelier", on_delete=models.CASCADE, related_name="precandidature"
    )
    intention = models.TextField(
        "intention",
        max_length=3000,
        help_text="En quelques lignes : la question que le territoire se pose, ce qu'il attend "
        "d'un atelier et pourquoi maintenant. 3 000 caractères au plus.",
    )
    thematiques = models.ManyToManyField(
        Thematique, verbose_name="thématiques", related_name="precandidatures"
    )
    cree_le = models.DateTimeField("ouverte le", auto_now_add=True)
    # Indexed: « à traiter » and DGALN's counter look up pré-candidatures by state.
    statut = FSMField(
        "statut",
        max_length=20,
        choices=Statut.choices,
        default=Statut.EN_ATTENTE,
        protected=True,
        db_index=True,
    )

    class Meta:
        verbose_name = "pré-candidature"

    def __str__(self):
        return f"Pré-candidature — {self.atelier}"

    @transition(
        field=statut,
        source=Statut.EN_ATTENTE,
        target=Statut.CONFIRMEE,
        permission=_sur_l_atelier(INSTRUIRE),
        custom={"code": CodePreCandidature.CONFIRMEE, "journal": "Opportunité confirmée"},
    )
    def confirmer(self):
        """DGALN confirms the opportunity after talking with the State service."""

    @transition(
        field=statut,
        source=Statut.EN_ATTENTE,
        target=Statut.DECLINEE,
        permission=_sur_l_atelier(INSTRUIRE),
        custom={
            "code": CodePreCandidature.DECLINEE,
            "journal": "Opportunité déclinée",
            "motif": True,
        },
    )
    def decliner(self, *, motif):
        """DGALN does not confirm the opportunity; its reason goes to the atelier's exit."""

    @transition(
        field=statut,
        source=Statut.EN_ATTENTE,
        target=Statut.ABANDONNEE,
        permission=_sur_l_atelier(ABANDONNER),
        custom={
            "code": CodePreCandidature.ABANDONNEE,
            "journal": "Atelier abandonné",
            "motif": True,
        },
    )
    def abandonner(self, *, motif):
        """The porteurs or the State stop before the opportunity is qualified."""


class Contact(models.Model):
    """A person to talk to about the pré-candidature (not necessarily a portal user)."""

    precandidature = models.ForeignKey(
        PreCandidature, on_delete=models.CASCADE, related_name="contacts"
    )
    nom = models.CharField("prénom et nom", max_length=150, validators=[valider_une_seule_ligne])
    fonction = models.CharField("fonction", max_length=150, blank=True)
    organisation = models.CharField(
        "organisation", max_length=200, validators=[valider_une_seule_ligne]
    )
    email = models.EmailField("adresse électronique")
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.nom} ({self.organisation})"
