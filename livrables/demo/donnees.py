"""Ce que chaque atelier de démonstration a livré : pour chacun de ses livrables, jusqu'où il
va (déposé, corrections demandées, validé) ; les commentaires du service pilote, les avis des
collectivités, les brouillons rédigés dans le portail."""

from dataclasses import dataclass, field
from decimal import Decimal

from livrables.models import TypeLivrable
from marches.models import Jalon
from marches.services import TrancheSaisie

T = TypeLivrable
DEPOSE = "depose"
CORRECTIONS = "corrections"
VALIDE = "valide"


@dataclass(frozen=True)
class PlanLivrable:
    """How far one livrable goes: `jusqua` one of DEPOSE, CORRECTIONS (the comments sent),
    VALIDE; `corrige` when a first version came back with corrections before the one kept;
    `avis` the collectivité's avis on the version under review or validated; `redige` when it
    is written in the portal (TEXTES) and rendered, not uploaded."""

    jusqua: str
    corrige: bool = False
    avis: str = ""
    redige: bool = False


@dataclass(frozen=True)
class PlanLivraison:
    livrables: dict[str, PlanLivrable] = field(default_factory=dict)
    # Parts written in the portal, kept as the draft of a livrable not deposited yet.
    brouillons: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    # The atelier is closed by its pilot once everything is in (one of the demo's).
    cloturer: bool = False


TOUS_VALIDES: dict[str, PlanLivrable] = {
    T.NOTE_CADRAGE: PlanLivrable(VALIDE, corrige=True),
    T.CARNET_SUIVI: PlanLivrable(VALIDE),
    T.RAPPORT_FINAL: PlanLivrable(VALIDE, avis="favorable"),
    T.FEUILLE_ROUTE: PlanLivrable(VALIDE, corrige=True, avis="reserves", redige=True),
    T.LIVRET: PlanLivrable(VALIDE, avis="favorable", redige=True),
}

# By the start of the atelier's title (ATELIERS in charger_demo).
PLANS = {
    "Cotentin": PlanLivraison(
        brouillons={
            T.NOTE_CADRAGE: [
                (
                    "methodologie",
                    "Méthodologie",
                    "Trois sessions sur le littoral et les bourgs, précédées d'entretiens avec "
                    "les élus et les entreprises des grands chantiers.",
                ),
                ("calendrier", "Calendrier", ""),
            ]
        }
    ),
    "Roannais Agglomération": PlanLivraison(livrables={T.NOTE_CADRAGE: PlanLivrable(DEPOSE)}),
    "Arles-Crau-Camargue": PlanLivraison(livrables={T.NOTE_CADRAGE: PlanLivrable(VALIDE)}),
    "Sète Agglopôle Méditerranée": PlanLivraison(
        livrables={
            T.NOTE_CADRAGE: PlanLivrable(VALIDE),
            T.CARNET_SUIVI: PlanLivrable(DEPOSE, avis="reserves"),
        }
    ),
    "Dunkerque": PlanLivraison(
        livrables={
            T.NOTE_CADRAGE: PlanLivrable(VALIDE, corrige=True),
            T.CARNET_SUIVI: PlanLivrable(VALIDE),
            T.RAPPORT_FINAL: PlanLivrable(DEPOSE, avis="favorable"),
            T.FEUILLE_ROUTE: PlanLivrable(CORRECTIONS, redige=True),
        },
        brouillons={
            T.LIVRET: [
                (
                    "edito",
                    "Éditorial",
                    "Dunkerque accueille la réindustrialisation : l'atelier a cherché comment "
                    "loger ses nouveaux salariés sans étaler la ville.",
                ),
            ]
        },
    ),
    "Grand Besançon": PlanLivraison(livrables=TOUS_VALIDES, cloturer=True),
}

# The groupement's texts of a livrable written in the portal, by part (the livret's keys).
TEXTES = {
    T.LIVRET: [
        (
            "edito",
            "Quinze mois durant, élus, services de l'État, entreprises et habitants de "
            "{territoire} ont regardé autrement leurs zones d'activités : non plus comme des "
            "réserves foncières, mais comme des morceaux de ville à transformer.\n\n"
            "L'atelier est parti d'un constat partagé dès la réunion de cadrage : les zones "
            "s'étendent, leurs parkings restent à moitié vides, leurs friches attendent, et la "
            "plupart des salariés y viennent seuls en voiture. Il fallait une méthode pour en "
            "parler ensemble, commune par commune, entreprise par entreprise.\n\n"
            "Ce livret raconte ce chemin : le territoire et ses enjeux, les trois sessions "
            "tenues sur place, les rencontres qui les ont nourries, puis la feuille de route "
            "que les élus ont adoptée à la restitution. Il est écrit pour ceux qui la "
            "porteront, et pour les territoires qui voudraient s'en inspirer.",
        ),
        (
            "temoignages",
            "« Nous avons découvert que nos zones avaient des friches, des parkings vides et des "
            "salariés qui venaient tous en voiture : l'atelier nous a donné une méthode pour "
            "en parler ensemble. » — une élue de la communauté urbaine.\n\n"
            "« Pour la première fois, on nous a demandé notre avis avant de dessiner les "
            "plans. Nos contraintes de livraison sont dans la feuille de route. » — le "
            "dirigeant d'une entreprise de logistique de la zone nord.\n\n"
            "« La visite en car a tout changé : vus ensemble, les délaissés faisaient un "
            "quartier. » — un agent de la direction départementale des territoires.\n\n"
            "« Je viens désormais en navette deux jours par semaine ; il faut que ce soit "
            "possible tous les jours. » — une salariée, lors de la troisième session.",
        ),
        (
            "enseignements",
            "Le diagnostic partagé sur site, les visites en bus et la feuille de route chiffrée "
            "ont convaincu ; la mobilité des salariés reste le sujet le plus difficile.\n\n"
            "Premier enseignement : partir du terrain. Les cartes ont davantage convaincu "
            "lorsqu'elles étaient dépliées sur le capot du car, devant la friche dont elles "
            "parlaient, qu'en salle du conseil.\n\n"
            "Deuxième enseignement : associer les entreprises tôt. Leur présence dès la "
            "première session a permis de chiffrer les besoins de foncier et de logement des "
            "salariés, et de faire des employeurs des partenaires des actions.\n\n"
            "Troisième enseignement : chiffrer pour décider. Chaque action a un porteur, un "
            "coût et des financements pressentis ; c'est ce qui a permis aux élus de "
            "hiérarchiser et d'engager les premières dès l'année suivante.\n\n"
            "Reste la mobilité : navettes et covoiturage demandent des horaires concertés "
            "avec les employeurs et un financement durable, que la feuille de route ne "
            "garantit pas encore.",
        ),
        (
            "perspectives",
            "Un comité de suivi avec l'État se réunira chaque semestre ; trois zones pilotes "
            "engagent leur requalification dès l'an prochain.\n\n"
            "La modification du PLUi traduira les plans-guides, et l'observatoire du foncier "
            "économique dira chaque année si la trajectoire de sobriété est tenue.\n\n"
            "Les rencontres annuelles des acteurs des zones garderont vivante la dynamique de "
            "l'atelier : on y montrera ce qui a changé, et on y ajustera les actions.",
        ),
    ],
}
# The images the groupement places in the livret's parts: (part, alternative text, caption).
IMAGES_LIVRET = [
    (
        "edito",
        "Vue des collines qui dominent la zone d'activités nord, depuis le belvédère",
        "La zone d'activités nord vue du belvédère, au printemps",
    ),
    (
        "enseignements",
        "Les participants de la deuxième session devant une friche de la zone du port",
        "La visite de terrain de la deuxième session",
    ),
    (
        "perspectives",
        "Le site de la future halte ferroviaire, en lisière de la zone nord",
        "Le site du futur pôle d'échanges",
    ),
]
# The pilot's corrections on a first version, anchored to a page of its PDF or to the whole.
COMMENTAIRES = [
    (2, "Le calendrier ne reprend pas les dates de la réunion de cadrage : mettez-le à jour."),
    (None, "Précisez qui porte chaque action et avec quels partenaires."),
]
REPONSE = "Corrigé dans cette version."
AVIS = {
    "favorable": "Le document reflète bien le travail mené avec les élus.",
    "reserves": "Les actions sur la mobilité mériteraient d'être chiffrées plus finement.",
}
MESSAGES = {
    1: "Première version, pour relecture.",
    2: "Version corrigée : chaque commentaire a sa réponse.",
}

# The échéancier of the closed atelier's marché: its money follows its livrables, the last
# tranche (the four final livrables) payable at the clôture, not yet paid.
ECHEANCIER_CLOS = [
    TrancheSaisie("Avance à la notification", Jalon.AVANCE, Decimal(30)),
    TrancheSaisie("Note de cadrage validée", Jalon.NOTE_CADRAGE, Decimal(15)),
    TrancheSaisie("Carnet de suivi validé", Jalon.CARNET_SUIVI, Decimal(15)),
    TrancheSaisie("Rapport final validé", Jalon.RAPPORT_FINAL, Decimal(10)),
    TrancheSaisie("Livrables finaux validés", Jalon.LIVRABLES_FINAUX, Decimal(30)),
]
# The tranches paid by the time of the clôture; the others stay payable.
PAYEES = (Jalon.AVANCE, Jalon.NOTE_CADRAGE, Jalon.CARNET_SUIVI)
RESTITUTION_CLOSE = {
    "lieu": "Salle du conseil communautaire",
    "audience": "Les élus du territoire, les services de l'État et les entreprises des zones "
    "d'activités.",
    "compte_rendu": "Le groupement a présenté la feuille de route ; les élus de {territoire} "
    "ont adopté ses actions prioritaires et installé un comité de suivi avec l'État.",
}


def plan_de(intitule: str) -> PlanLivraison | None:
    return next((p for debut, p in PLANS.items() if intitule.startswith(debut)), None)
