"""The demo's feuilles de route, written in the portal through the feuille de route's
services: an objective, three axes, fifteen actions, each with its thème, porteur and partners,
cost and financing plan, calendar and indicators."""

import datetime
from decimal import Decimal
from typing import NamedTuple

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
    "Moins de foncier consommé, plus d'emplois accessibles sans voiture, des zones où l'on "
    "travaille, où l'on se restaure et où l'on se déplace à pied entre deux rendez-vous.",
)
F = SourceFinancement
P = Priorite
Quand = str | tuple[datetime.date, datetime.date]


def _du(annee: int, mois: int, au_annee: int, au_mois: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(annee, mois, 1), datetime.date(au_annee, au_mois, 28)


class ActionDemo(NamedTuple):
    titre: str
    priorite: int
    cout: Decimal
    quand: Quand
    financements: list[tuple[str, Decimal]]
    description: str
    partenaires: str
    indicateurs: str
    # The programme's theme, by its code (candidatures/migrations/0002_thematiques.py).
    theme: str


AXES: list[tuple[str, str, list[ActionDemo]]] = [
    (
        "Requalifier les zones existantes",
        "Faire des zones d'activités des quartiers : densifier ce qui est déjà urbanisé, "
        "recycler les friches, planter et désimperméabiliser.",
        [
            ActionDemo(
                "Plan de requalification de trois zones pilotes",
                P.ELEVEE,
                Decimal("450000"),
                _du(2027, 3, 2028, 6),
                [(F.FONDS_VERT, Decimal("200000")), (F.EPCI, Decimal("150000"))],
                "Un plan-guide par zone pilote : les espaces publics à reprendre, les parcelles "
                "à densifier, les accès à réorganiser, chiffrés et phasés avec les entreprises "
                "installées. Les trois plans sont présentés ensemble au conseil communautaire.",
                "Agence d'urbanisme\nAssociations d'entreprises des zones\nDDT",
                "Nombre de plans-guides adoptés\nSurface d'espaces publics requalifiés (m²)",
                "activites",
            ),
            ActionDemo(
                "Inventaire des friches et des parkings sous-utilisés",
                P.MOYENNE,
                Decimal("60000"),
                _du(2027, 1, 2027, 9),
                [(F.EPCI, Decimal("60000"))],
                "Relever, parcelle par parcelle, les bâtiments vacants, les terrains en attente "
                "et les parkings occupés à moins de la moitié, avec leurs propriétaires et leur "
                "potentiel de mutation ; l'inventaire est mis à jour chaque année.",
                "Établissement public foncier\nChambre de commerce et d'industrie",
                "Hectares de foncier mutable identifiés\nTaux de mise à jour annuelle",
                "ressources-naturelles",
            ),
            ActionDemo(
                "Convention avec l'établissement public foncier",
                P.ELEVEE,
                Decimal("1200000"),
                "court",
                [(F.AUTRE, Decimal("900000")), (F.EPCI, Decimal("300000"))],
                "Confier à l'établissement public foncier le portage des friches prioritaires, "
                "le temps que les projets mûrissent, avec une clause de sortie à cinq ans.",
                "Établissement public foncier\nCommunes concernées",
                "Hectares acquis et portés\nDurée moyenne de portage",
                "cooperation-territoriale",
            ),
            ActionDemo(
                "Désimperméabiliser et planter les espaces communs",
                P.MOYENNE,
                Decimal("380000"),
                _du(2027, 10, 2029, 3),
                [(F.FONDS_VERT, Decimal("190000")), (F.REGION, Decimal("76000"))],
                "Remplacer l'enrobé des délaissés et des bords de voirie par des noues et des "
                "plantations, pour rafraîchir les zones l'été et infiltrer les pluies.",
                "Agence de l'eau\nSyndicat de rivière",
                "Surface désimperméabilisée (m²)\nNombre d'arbres plantés",
                "transitions-environnementales",
            ),
            ActionDemo(
                "Charte de qualité architecturale des zones",
                P.BASSE,
                Decimal("25000"),
                "moyen",
                [(F.EPCI, Decimal("25000"))],
                "Une charte courte, illustrée, qui dit comment implanter, construire et clôturer "
                "dans les zones ; elle est annexée aux actes de cession des terrains publics.",
                "Conseil d'architecture, d'urbanisme et de l'environnement\nArchitecte des "
                "bâtiments de France",
                "Part des permis instruits au regard de la charte",
                "ecologie-culturelle",
            ),
        ],
    ),
    (
        "Desservir les salariés autrement qu'en voiture",
        "Rapprocher les zones des gares et des bourgs : navettes, vélo, covoiturage, et des "
        "horaires pensés avec les employeurs.",
        [
            ActionDemo(
                "Navettes et covoiturage entre les zones et les gares",
                P.ELEVEE,
                Decimal("300000"),
                "moyen",
                [(F.REGION, Decimal("120000")), (F.DSIL, Decimal("80000"))],
                "Une navette aux heures d'embauche entre la gare et les deux plus grandes zones, "
                "et une plateforme de covoiturage animée avec les employeurs.",
                "Autorité organisatrice des mobilités\nRégion\nEmployeurs des zones",
                "Voyageurs par jour\nPart modale de la voiture seule",
                "transitions-territoriales",
            ),
            ActionDemo(
                "Itinéraires cyclables vers les trois zones pilotes",
                P.BASSE,
                Decimal("800000"),
                "long",
                [(F.DEPARTEMENT, Decimal("250000"))],
                "Relier les trois zones pilotes au réseau cyclable de l'agglomération par des "
                "pistes séparées de la circulation, avec un stationnement abrité à l'arrivée.",
                "Département\nCommunes traversées",
                "Kilomètres aménagés\nComptages vélo aux entrées des zones",
                "transitions-territoriales",
            ),
            ActionDemo(
                "Plans de mobilité employeurs mutualisés",
                P.MOYENNE,
                Decimal("45000"),
                _du(2027, 2, 2027, 12),
                [(F.EPCI, Decimal("20000")), (F.AUTRE, Decimal("25000"))],
                "Accompagner les entreprises de plus de cinquante salariés dans un plan de "
                "mobilité commun par zone, pour partager navettes, horaires et stationnement.",
                "Chambre de commerce et d'industrie\nClub des entreprises",
                "Entreprises engagées\nSalariés couverts par un plan",
                "activites",
            ),
            ActionDemo(
                "Un pôle d'échanges à la halte ferroviaire de la zone nord",
                P.MOYENNE,
                Decimal("950000"),
                _du(2028, 1, 2029, 12),
                [
                    (F.DSIL, Decimal("300000")),
                    (F.REGION, Decimal("250000")),
                    (F.EUROPE, Decimal("150000")),
                ],
                "Abri, stationnement vélo, arrêt de navette et dépose-minute autour de la halte, "
                "pour que le train devienne une façon crédible de venir travailler.",
                "SNCF Réseau\nRégion\nAutorité organisatrice des mobilités",
                "Montées et descentes à la halte par jour",
                "etat-amenageur",
            ),
            ActionDemo(
                "Services de proximité au cœur des zones",
                P.BASSE,
                Decimal("150000"),
                "long",
                [(F.EPCI, Decimal("50000"))],
                "Crèche d'entreprises, restauration, conciergerie : regrouper quelques services "
                "au centre de chaque zone pilote pour éviter les déplacements de midi.",
                "Employeurs des zones\nCaisse d'allocations familiales",
                "Services ouverts\nFréquentation mensuelle",
                "transitions-societales",
            ),
        ],
    ),
    (
        "Piloter la transformation ensemble",
        "Tenir la feuille de route après l'atelier : une gouvernance partagée entre "
        "l'intercommunalité, les communes, l'État et les entreprises.",
        [
            ActionDemo(
                "Comité de suivi semestriel de la feuille de route",
                P.ELEVEE,
                Decimal("10000"),
                "court",
                [(F.EPCI, Decimal("10000"))],
                "Deux fois par an, l'intercommunalité, les communes, l'État et les représentants "
                "des entreprises font le point des actions, de leurs financements et des suites.",
                "Services de l'État\nCommunes\nClub des entreprises",
                "Comités tenus\nActions engagées sur l'année",
                "cooperation-territoriale",
            ),
            ActionDemo(
                "Observatoire du foncier économique",
                P.MOYENNE,
                Decimal("90000"),
                _du(2027, 6, 2028, 6),
                [(F.EPCI, Decimal("45000")), (F.REGION, Decimal("30000"))],
                "Suivre chaque année la consommation d'espaces, les friches recyclées et les "
                "surfaces disponibles, pour tenir la trajectoire de sobriété foncière.",
                "Agence d'urbanisme\nDDT",
                "Hectares consommés par an\nHectares recyclés par an",
                "lois-nouvelles",
            ),
            ActionDemo(
                "Modification du PLUi pour les zones pilotes",
                P.ELEVEE,
                Decimal("120000"),
                _du(2027, 9, 2029, 2),
                [(F.EPCI, Decimal("120000"))],
                "Traduire les plans-guides dans le PLUi : orientations d'aménagement, hauteurs, "
                "stationnement mutualisé, coefficient de pleine terre.",
                "DDT\nCommunes concernées",
                "Modification approuvée",
                "transitions-territoriales",
            ),
            ActionDemo(
                "Prévenir le risque d'inondation dans la zone du port",
                P.MOYENNE,
                Decimal("520000"),
                "moyen",
                [(F.DETR, Decimal("150000")), (F.FONDS_VERT, Decimal("160000"))],
                "Étudier la vulnérabilité des bâtiments de la zone du port, puis accompagner "
                "les entreprises dans les travaux qui protègent leurs stocks et leurs salariés.",
                "Syndicat de rivière\nServices de l'État",
                "Diagnostics de vulnérabilité réalisés\nEntreprises accompagnées",
                "risques",
            ),
            ActionDemo(
                "Rencontres annuelles des acteurs des zones",
                P.BASSE,
                Decimal("15000"),
                "court",
                [(F.EPCI, Decimal("15000"))],
                "Une journée par an, sur place, pour montrer ce qui a changé, écouter les "
                "entreprises et les salariés, et ajuster les actions de l'année suivante.",
                "Club des entreprises\nConseil de développement",
                "Participants\nPropositions retenues",
                "transitions-societales",
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
    themes = Thematique.objects.in_bulk(field_name="code")
    porteur = str(atelier.collectivites.order_by("pk").first() or "")
    for intitule, description, actions in AXES:
        axe = axe_enregistrer(
            livrable=livrable, par=groupement, intitule=intitule, description=description
        )
        for action in actions:
            dates = action.quand if isinstance(action.quand, tuple) else (None, None)
            action_enregistrer(
                livrable=livrable,
                par=groupement,
                valeurs={
                    "axe": axe,
                    "titre": action.titre,
                    "description": action.description,
                    "thematique": themes.get(action.theme),
                    "priorite": action.priorite,
                    "porteur_nom": porteur,
                    "partenaires": action.partenaires,
                    "cout_estime": action.cout,
                    "debut": dates[0],
                    "fin": dates[1],
                    "horizon": "" if isinstance(action.quand, tuple) else action.quand,
                    "indicateurs": action.indicateurs,
                    "statut": StatutAction.A_ENGAGER,
                },
                financements=[{"source": s, "montant": m} for s, m in action.financements],
            )
    return livrable
