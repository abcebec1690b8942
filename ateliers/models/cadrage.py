"""The cadrage that opens the accompagnement, and the calendrier prévisionnel fixed there."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models.atelier import Atelier
from ateliers.models.phases import sur_l_objet
from comptes.validators import valider_une_seule_ligne


class CodeCadrage(models.TextChoices):
    """The journal's codes for the cadrage and the calendar."""

    ENREGISTRE = "cadrage.enregistre", "Réunion de cadrage enregistrée"
    CALENDRIER_FIXE = "cadrage.calendrier_fixe", "Calendrier prévisionnel fixé"
    CLOS = "cadrage.clos", "Cadrage clos"


class Cadrage(ConcurrentTransitionMixin, models.Model):
    """The réunion de cadrage of one atelier, opened when its marché is notified: the pilot and
    the groupement record it and fix the calendar; closing it starts session 1."""

    class Statut(models.TextChoices):
        A_TENIR = "a_tenir", "À tenir"
        CLOS = "clos", "Clos"

    atelier = models.OneToOneField(Atelier, on_delete=models.PROTECT, related_name="cadrage")
    statut = FSMField(
        "état", choices=Statut.choices, default=Statut.A_TENIR, protected=True, max_length=16
    )
    date = models.DateTimeField("date et heure de la réunion", null=True, blank=True)
    lieu = models.CharField(
        "lieu", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    lien_visio = models.URLField("lien de visioconférence", max_length=500, blank=True)
    participants = models.TextField("participants", blank=True)
    compte_rendu = models.TextField("compte-rendu", blank=True)
    presentation = models.ForeignKey(
        "documents.FichierDepose",
        verbose_name="présentation du groupement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the CCTP said of the calendar and the duration, copied at notification: the
    # calendar is fixed against it.
    duree_mois = models.PositiveSmallIntegerField("durée prévue en mois", default=12)
    calendrier_cctp = models.TextField("calendrier prévisionnel du CCTP", blank=True)
    modifie_le = models.DateTimeField("modifié le", default=timezone.now)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clos_le = models.DateTimeField("clos le", null=True, blank=True)

    class Meta:
        verbose_name = "cadrage"
        verbose_name_plural = "cadrages"

    def __str__(self):
        return f"Cadrage de {self.atelier.reference}"

    @transition(
        field=statut,
        source=Statut.A_TENIR,
        target=Statut.CLOS,
        permission=sur_l_objet("ateliers.clore_cadrage"),
        custom={
            "code": CodeCadrage.CLOS,
            "journal": "Cadrage clos : l'atelier passe à la session 1",
            "libelle": "Clore le cadrage",
            "consequence": (
                "La réunion de cadrage et le calendrier prévisionnel seront figés dans le "
                "journal ; l'atelier passera à la session 1 : diagnostic et enjeux."
            ),
        },
    )
    def clore(self):
        """The réunion de cadrage took place and the calendar is fixed."""
        self.clos_le = timezone.now()


class EtapePrevue(models.Model):
    """One planned date of the calendrier prévisionnel; what happened is read from the
    sessions and the livrables themselves, never written here."""

    class Nature(models.TextChoices):
        CADRAGE = "cadrage", "Réunion de cadrage"
        SESSION_1 = "session_1", "Session 1 : diagnostic et enjeux"
        SESSION_2 = "session_2", "Session 2 : stratégie"
        SESSION_3 = "session_3", "Session 3 : feuille de route"
        RESTITUTION = "restitution", "Restitution"
        NOTE_CADRAGE = "note_cadrage", "Note de cadrage (livrable)"
        CARNET_SUIVI = "carnet_suivi", "Carnet de suivi (livrable)"
        RAPPORT_FINAL = "rapport_final", "Rapport final (livrable)"
        FEUILLE_ROUTE = "feuille_route", "Feuille de route (livrable)"
        LIVRET = "livret_capitalisation", "Livret de capitalisation (livrable)"

    atelier = models.ForeignKey(Atelier, on_delete=models.PROTECT, related_name="etapes_prevues")
    nature = models.CharField("étape", max_length=32, choices=Nature.choices)
    date_prevue = models.DateField("date prévue")

    class Meta:
        verbose_name = "étape du calendrier prévisionnel"
        verbose_name_plural = "étapes du calendrier prévisionnel"
        constraints = [
            models.UniqueConstraint(
                fields=["atelier", "nature"], name="etape_prevue_unique_par_atelier"
            )
        ]

    def __str__(self):
        return f"{self.get_nature_display()} : {self.date_prevue:%d/%m/%Y}"


# Where each step falls in the programme's months by default, as a share of the duration the
# CCTP fixed: the cadrage in the first month, the sessions spread over the first three
# quarters, the restitution and the final livrables at the end.
REPARTITION: dict[str, float] = {
    EtapePrevue.Nature.CADRAGE: 0.05,
    EtapePrevue.Nature.NOTE_CADRAGE: 0.12,
    EtapePrevue.Nature.SESSION_1: 0.25,
    EtapePrevue.Nature.SESSION_2: 0.5,
    EtapePrevue.Nature.SESSION_3: 0.75,
    EtapePrevue.Nature.RESTITUTION: 0.92,
    EtapePrevue.Nature.CARNET_SUIVI: 1.0,
    EtapePrevue.Nature.RAPPORT_FINAL: 1.0,
    EtapePrevue.Nature.FEUILLE_ROUTE: 1.0,
    EtapePrevue.Nature.LIVRET: 1.0,
}
# The order the planned dates must keep (a date may equal the one before it).
ORDRE = [
    EtapePrevue.Nature.CADRAGE,
    EtapePrevue.Nature.SESSION_1,
    EtapePrevue.Nature.SESSION_2,
    EtapePrevue.Nature.SESSION_3,
    EtapePrevue.Nature.RESTITUTION,
]


def plus_mois(jour: datetime.date, mois: int) -> datetime.date:
    """The same day `mois` calendar months later (the month's last day when it is shorter)."""
    annees, rang = divmod(jour.month - 1 + mois, 12)
    annee, mois_final = jour.year + annees, rang + 1
    return jour.replace(
        year=annee,
        month=mois_final,
        day=min(jour.day, calendar.monthrange(annee, mois_final)[1]),
    )


def calendrier_propose(debut: datetime.date, duree_mois: int) -> dict[str, datetime.date]:
    """The planned date of each step for an accompagnement starting on `debut` and lasting
    `duree_mois` months, before the pilot and the groupement adjust it."""
    jours = (plus_mois(debut, duree_mois) - debut).days
    return {
        nature: debut + datetime.timedelta(days=round(jours * part))
        for nature, part in REPARTITION.items()
    }
