"""The demo's feuilles de route, written in the portal through the feuille de route's
services: an objective, two axes, four actions with their financing plans."""

import datetime
from decimal import Decimal

from ateliers.models import Atelier
from candidatures.models import Thematique
from comptes.models import Utilisateur
from livrables.models import Livrable, Priorite, SourceFinancement, StatutAction
from livrables.selectors import livrable_de
from livrables.services.feuille_route import (
    action_enregistrer,
    axe_enregistrer,
    objectif_enregistrer,
)

OBJECTIF = (
    "Transformer les zones d'activités en morceaux de ville",
    "Moins de foncier consommé, plus d'emplois accessibles sans voiture.",
)
# (axe, [(titre, priorité, coût, horizon or (début, fin), [(source, montant)])])
Quand = str | tuple[datetime.date, datetime.date]
AXES: list[tuple[str, list[tuple[str, int, Decimal, Quand, list[tuple[str, Decimal]]]]]] = [
    (
        "Requalifier les zones existantes",
        [
            (
                "Plan de requalification de trois zones pilotes",
                Priorite.ELEVEE,
                Decimal("450000"),
                (datetime.date(2027, 3, 1), datetime.date(2028, 6, 30)),
                [
                    (SourceFinancement.FONDS_VERT, Decimal("200000")),
                    (SourceFinancement.EPCI, Decimal("150000")),
                ],
            ),
            (
                "Inventaire des friches et des parkings sous-utilisés",
                Priorite.MOYENNE,
                Decimal("60000"),
                (datetime.date(2027, 1, 15), datetime.date(2027, 9, 30)),
                [(SourceFinancement.EPCI, Decimal("60000"))],
            ),
        ],
    ),
    (
        "Desservir les salariés autrement qu'en voiture",
        [
            (
                "Navettes et covoiturage entre les zones et les gares",
                Priorite.ELEVEE,
                Decimal("300000"),
                "moyen",
                [
                    (SourceFinancement.REGION, Decimal("120000")),
                    (SourceFinancement.DSIL, Decimal("80000")),
                ],
            ),
            (
                "Itinéraires cyclables vers les trois zones pilotes",
                Priorite.BASSE,
                Decimal("800000"),
                "long",
                [(SourceFinancement.DEPARTEMENT, Decimal("250000"))],
            ),
        ],
    ),
]


def ecrire_feuille(atelier: Atelier, groupement: Utilisateur) -> Livrable:
    """The groupement writes the atelier's feuille de route, through its services."""
    livrable = livrable_de(Atelier.objects.get(pk=atelier.pk), "feuille_route")
    objectif_enregistrer(
        livrable=livrable, par=groupement, intitule=OBJECTIF[0], description=OBJECTIF[1]
    )
    livrable = livrable_de(Atelier.objects.get(pk=atelier.pk), "feuille_route")
    theme = Thematique.objects.order_by("pk").first()
    porteur = str(atelier.collectivites.order_by("pk").first() or "")
    for intitule, actions in AXES:
        axe = axe_enregistrer(livrable=livrable, par=groupement, intitule=intitule)
        for titre, priorite, cout, quand, financements in actions:
            dates = quand if isinstance(quand, tuple) else (None, None)
            action_enregistrer(
                livrable=livrable,
                par=groupement,
                valeurs={
                    "axe": axe,
                    "titre": titre,
                    "thematique": theme,
                    "priorite": priorite,
                    "porteur_nom": porteur,
                    "cout_estime": cout,
                    "debut": dates[0],
                    "fin": dates[1],
                    "horizon": "" if isinstance(quand, tuple) else quand,
                    "statut": StatutAction.A_ENGAGER,
                },
                financements=[{"source": s, "montant": m} for s, m in financements],
            )
    return livrable
