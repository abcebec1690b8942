"""The atelier's calendar: each step planned against what happened, from the notification to
the clôture, as a table and as the coordinates of its timeline (an SVG drawn by the template)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ateliers.models import Atelier, Cadrage, EtapePrevue, Restitution, Session
from ateliers.models.cadrage import plus_mois
from ateliers.selectors.cadrage import cadrage_de_l_atelier, etapes_prevues

# The programme's length: an accompagnement lasts 10 to 15 months.
MOIS_MIN, MOIS_MAX = 10, 15

# The drawing's frame, in SVG user units: labels on the left, then the months.
LARGEUR, MARGE_GAUCHE, MARGE_DROITE = 960, 300, 24
HAUT, PAS = 48, 34


@dataclass(frozen=True)
class Ligne:
    """One step: when it was planned, when it happened (None: not yet), and where it stands."""

    libelle: str
    prevue: datetime.date | None
    reelle: datetime.date | None
    # « fait », « en retard » (its planned date passed and it has not happened, or it
    # happened after it), « à venir ».
    etat: str
    x_prevue: float = 0
    x_reelle: float = 0
    y: float = 0

    @property
    def retard_jours(self) -> int:
        if self.prevue is None:
            return 0
        fin = self.reelle or timezone.localdate()
        return max(0, (fin - self.prevue).days)


@dataclass(frozen=True)
class Mois:
    x: float
    libelle: str


@dataclass(frozen=True)
class Calendrier:
    debut: datetime.date
    fin: datetime.date
    aujourd_hui: datetime.date
    lignes: list[Ligne]
    mois: list[Mois] = field(default_factory=list)
    x_aujourd_hui: float | None = None
    x_min: float = 0
    x_max: float = 0
    hauteur: float = 0
    largeur: int = LARGEUR
    marge_gauche: int = MARGE_GAUCHE

    @property
    def mois_ecoules(self) -> int:
        """Whole months since the notification, as the programme counts them."""
        mois = 0
        while plus_mois(self.debut, mois + 1) <= self.aujourd_hui:
            mois += 1
        return mois

    @property
    def programme_largeur(self) -> float:
        return round(self.x_max - self.x_min, 1)

    @property
    def hauteur_utile(self) -> float:
        return self.hauteur - 24

    @property
    def en_retard(self) -> list[Ligne]:
        return [ligne for ligne in self.lignes if ligne.etat == "en retard"]


def _etat(prevue: datetime.date | None, reelle: datetime.date | None, jour: datetime.date) -> str:
    if reelle is not None:
        return "en retard" if prevue is not None and reelle > prevue else "fait"
    return "en retard" if prevue is not None and prevue < jour else "à venir"


def dessiner(
    debut: datetime.date,
    etapes: list[tuple[str, datetime.date | None, datetime.date | None]],
    aujourd_hui: datetime.date,
) -> Calendrier:
    """Place each (label, planned, actual) step on a timeline from `debut` to the later of
    15 months and the last date it holds, with its months and today's line."""
    dates = [d for _, prevue, reelle in etapes for d in (prevue, reelle) if d is not None]
    fin = max([plus_mois(debut, MOIS_MAX), *dates])
    utile = LARGEUR - MARGE_GAUCHE - MARGE_DROITE
    duree = max(1, (fin - debut).days)

    def x(jour: datetime.date) -> float:
        return round(MARGE_GAUCHE + utile * (jour - debut).days / duree, 1)

    lignes = [
        Ligne(
            libelle=libelle,
            prevue=prevue,
            reelle=reelle,
            etat=_etat(prevue, reelle, aujourd_hui),
            x_prevue=x(prevue) if prevue else 0,
            x_reelle=x(reelle) if reelle else 0,
            y=HAUT + PAS * rang,
        )
        for rang, (libelle, prevue, reelle) in enumerate(etapes)
    ]
    mois = []
    rang = 0
    while plus_mois(debut, rang) <= fin:
        mois.append(Mois(x=x(plus_mois(debut, rang)), libelle=f"M{rang}"))
        rang += 1
    return Calendrier(
        debut=debut,
        fin=fin,
        aujourd_hui=aujourd_hui,
        lignes=lignes,
        mois=mois,
        x_aujourd_hui=x(aujourd_hui) if debut <= aujourd_hui <= fin else None,
        x_min=x(plus_mois(debut, MOIS_MIN)),
        x_max=x(plus_mois(debut, MOIS_MAX)),
        hauteur=HAUT + PAS * len(lignes) + 8,
    )


def calendrier_de(atelier: Atelier) -> Calendrier:
    """The atelier's calendar from its notification: the planned date of every step of the
    calendrier prévisionnel, and what its own objects say happened (the cadrage closed, each
    session held, the restitution past; the livrables will add theirs)."""
    prevues = etapes_prevues(atelier)
    cadrage = cadrage_de_l_atelier(atelier)
    reelles: dict[str, datetime.date | None] = {}
    if cadrage is not None and cadrage.statut == Cadrage.Statut.CLOS and cadrage.date:
        reelles[EtapePrevue.Nature.CADRAGE] = timezone.localdate(cadrage.date)
    tenues = Session.objects.filter(
        atelier=atelier, statut__in=[Session.Statut.TENUE, Session.Statut.COMPTE_RENDU_VALIDE]
    ).values_list("numero", "date")
    for numero, jour in tenues:
        reelles[f"session_{numero}"] = jour
    restitution = Restitution.objects.filter(atelier=atelier, date__lte=timezone.now()).first()
    if restitution is not None and restitution.date is not None:
        reelles[EtapePrevue.Nature.RESTITUTION] = timezone.localdate(restitution.date)
    etapes = [
        (libelle, prevues[nature].date_prevue if nature in prevues else None, reelles.get(nature))
        for nature, libelle in EtapePrevue.Nature.choices
    ]
    debut = atelier.debut_accompagnement or timezone.localdate()
    return dessiner(debut, etapes, timezone.localdate())
