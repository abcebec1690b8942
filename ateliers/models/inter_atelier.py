"""The inter-ateliers: what the groupement does between two sessions, entry by entry."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models.atelier import Atelier
from ateliers.models.phases import sur_l_objet
from comptes.validators import valider_une_seule_ligne


class CodeInterAtelier(models.TextChoices):
    """The journal's codes for the inter-ateliers."""

    ECRIT = "inter_atelier.ecrit", "Inter-atelier écrit"
    MODIFIE = "inter_atelier.modifie", "Inter-atelier modifié"
    RETIRE = "inter_atelier.retire", "Inter-atelier retiré"


class InterAtelierQuerySet(models.QuerySet):
    def publiees(self) -> "InterAtelierQuerySet":
        """The entries the porteurs read: those their author has not withdrawn."""
        return self.filter(statut=InterAtelier.Statut.PUBLIEE)


class InterAtelier(ConcurrentTransitionMixin, models.Model):
    """One dated entry of the groupement between two sessions (an entretien, an analyse
    documentaire, a réunion de travail); the carnet de suivi reads them."""

    class Nature(models.TextChoices):
        ENTRETIEN = "entretien", "Entretien"
        ANALYSE = "analyse_documentaire", "Analyse documentaire"
        REUNION = "reunion_travail", "Réunion de travail"

    class Statut(models.TextChoices):
        PUBLIEE = "publiee", "Publiée"
        RETIREE = "retiree", "Retirée"

    atelier = models.ForeignKey(Atelier, on_delete=models.PROTECT, related_name="inter_ateliers")
    nature = models.CharField("nature", max_length=32, choices=Nature.choices)
    date = models.DateField("date")
    titre = models.CharField("intitulé", max_length=200, validators=[valider_une_seule_ligne])
    interlocuteur = models.CharField(
        "personne rencontrée", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    organisation = models.CharField(
        "organisation", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    documents_lus = models.TextField("documents lus", blank=True)
    constats = models.TextField("constats", blank=True)
    participants = models.TextField("participants", blank=True)
    synthese = models.TextField("synthèse", blank=True)
    statut = FSMField(
        "état", choices=Statut.choices, default=Statut.PUBLIEE, protected=True, max_length=16
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.PROTECT,
        related_name="+",
    )
    cree_le = models.DateTimeField("écrit le", default=timezone.now)
    modifie_le = models.DateTimeField("modifié le", default=timezone.now)
    retire_le = models.DateTimeField("retiré le", null=True, blank=True)

    objects = InterAtelierQuerySet.as_manager()

    class Meta:
        verbose_name = "inter-atelier"
        verbose_name_plural = "inter-ateliers"
        indexes = [models.Index(fields=["atelier", "date"], name="inter_atelier_par_date")]

    def __str__(self):
        return f"{self.get_nature_display()} du {self.date:%d/%m/%Y} : {self.titre}"

    @transition(
        field=statut,
        source=Statut.PUBLIEE,
        target=Statut.RETIREE,
        permission=sur_l_objet("ateliers.retirer_interatelier"),
        custom={
            "code": CodeInterAtelier.RETIRE,
            "journal": "Inter-atelier retiré",
            "libelle": "Retirer cette entrée",
            "consequence": (
                "L'entrée ne sera plus lue par les porteurs ni reprise dans le carnet de "
                "suivi ; le journal de l'atelier gardera la trace de son retrait."
            ),
        },
    )
    def retirer(self):
        """Its author takes the entry back: it stays in the database for the journal."""
        self.retire_le = timezone.now()


# What each nature of entry must say, besides its date and its title.
CHAMPS_PAR_NATURE: dict[str, tuple[str, ...]] = {
    InterAtelier.Nature.ENTRETIEN: ("interlocuteur", "organisation", "synthese"),
    InterAtelier.Nature.ANALYSE: ("documents_lus", "constats"),
    InterAtelier.Nature.REUNION: ("participants", "synthese"),
}
CHAMPS_TEXTE = ("titre", "interlocuteur", "organisation", "documents_lus", "constats")
CHAMPS = ("nature", "date", *CHAMPS_TEXTE, "participants", "synthese")


def champs_manquants(valeurs: dict) -> list[str]:
    """The fields this nature of entry must fill and `valeurs` leaves empty."""
    requis = CHAMPS_PAR_NATURE.get(valeurs.get("nature", ""), ())
    return [c for c in requis if not str(valeurs.get(c) or "").strip()]
