"""The themes and the pré-candidature: the first contact, before DGALN confirms it."""

from django.db import models

from ateliers.models import Atelier
from comptes.validators import valider_une_seule_ligne


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


class PreCandidature(models.Model):
    """The first contact: why the territory wants an atelier, before DGALN confirms it."""

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

    class Meta:
        verbose_name = "pré-candidature"

    def __str__(self):
        return f"Pré-candidature — {self.atelier}"


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
