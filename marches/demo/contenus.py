"""Ce qu'écrivent le groupement et le service pilote pendant l'accompagnement de démonstration :
comptes-rendus des sessions, inter-ateliers, programme, participants, restitution (des données,
pas du code ; `{territoire}` est le nom court de l'atelier, les personnes sont fictives)."""

import datetime
from dataclasses import dataclass

from ateliers.models import InterAtelier, Participant
from ateliers.services.session_contenu import PointSaisi, PropositionSaisie


@dataclass(frozen=True)
class CompteRenduDemo:
    synthese: str
    enjeux: str
    decisions: str
    prochaines_etapes: str
    propositions: tuple[PropositionSaisie, ...]


# The compte-rendu of each session, by its number (the theme of its number, Numero).
COMPTES_RENDUS = {
    1: CompteRenduDemo(
        synthese="Une journée de diagnostic partagé : visite de terrain le matin, ateliers "
        "en trois tables l'après-midi. Les participants ont décrit un territoire attractif mais "
        "sous tension, où les projets se décident commune par commune.",
        enjeux="Le foncier disponible et sa sobriété ; le logement des actifs et des "
        "jeunes ; l'exposition aux risques ; la coopération entre les communes de {territoire}.",
        decisions="Le groupement approfondit trois secteurs d'étude choisis en séance.",
        prochaines_etapes="Entretiens avec les acteurs économiques et analyse des documents "
        "de planification avant la session 2.",
        propositions=(
            PropositionSaisie(
                "Cartographier le foncier mutable à l'échelle intercommunale",
                "Foncier",
                "Table « habiter »",
            ),
            PropositionSaisie(
                "Associer les habitants par des balades commentées",
                "Participation",
                "Collège des associations",
            ),
            PropositionSaisie(
                "Croiser les projets économiques et la carte des risques",
                "Risques",
                "Services de l'État",
            ),
        ),
    ),
    2: CompteRenduDemo(
        synthese="Une session de stratégie : trois scénarios d'aménagement présentés par le "
        "groupement, débattus en tables puis en plénière. Un scénario de synthèse se dégage, "
        "qui concentre l'accueil dans les centralités existantes.",
        enjeux="Hiérarchiser les secteurs de projet ; partager l'effort de sobriété foncière "
        "entre les communes ; financer les premières actions.",
        decisions="Le scénario des centralités est retenu comme base de la feuille de route.",
        prochaines_etapes="Rédiger les fiches actions et les soumettre aux élus avant la "
        "session 3.",
        propositions=(
            PropositionSaisie(
                "Un programme local de recyclage des friches",
                "Foncier",
                "Collège des élus",
            ),
            PropositionSaisie(
                "Une charte de qualité des opérations d'habitat",
                "Habitat",
                "Acteurs socio-économiques",
            ),
        ),
    ),
    3: CompteRenduDemo(
        synthese="La feuille de route a été relue action par action : chacune a son porteur, "
        "son calendrier et ses financements pressentis. Les élus l'ont approuvée dans ses "
        "grandes lignes.",
        enjeux="Tenir la dynamique après l'atelier ; suivre les actions dans un comité "
        "partagé entre {territoire} et l'État.",
        decisions="Quinze actions retenues, dont cinq prioritaires pour l'année qui vient.",
        prochaines_etapes="Le groupement produit le rapport final et prépare la restitution.",
        propositions=(
            PropositionSaisie(
                "Un comité de suivi semestriel de la feuille de route",
                "Gouvernance",
                "Service pilote",
            ),
        ),
    ),
}

# The groupement's entries after each session held, by the session's number.
INTER_ATELIERS = {
    1: [
        {
            "nature": InterAtelier.Nature.ENTRETIEN,
            "titre": "Entretien avec la chambre de commerce et d'industrie",
            "interlocuteur": "Bastien Morel",
            "organisation": "CCI territoriale",
            "synthese": "Les entreprises peinent à recruter faute de logements proches ; la CCI "
            "propose de relayer une enquête auprès de ses adhérents.",
        },
        {
            "nature": InterAtelier.Nature.ANALYSE,
            "titre": "Lecture du SCoT et des PLU en vigueur",
            "documents_lus": "SCoT approuvé, trois PLU communaux, PLH en cours.",
            "constats": "Les zones à urbaniser dépassent les besoins estimés ; les documents "
            "ne traitent pas encore la trajectoire de sobriété foncière.",
        },
    ],
    2: [
        {
            "nature": InterAtelier.Nature.REUNION,
            "titre": "Réunion de travail sur les fiches actions",
            "participants": "Le service pilote, les services de {territoire}, le groupement.",
            "synthese": "Les fiches actions sont relues ; chaque action reçoit un porteur "
            "pressenti et un ordre de priorité.",
        },
    ],
}

# The session the current phase prepares: its day, its programme (by the groupement), its
# guests (by the pilot), a few per collège.
DANS_TROIS_SEMAINES = datetime.timedelta(weeks=3)
PROGRAMME = [
    PointSaisi("Accueil et introduction par les élus", 1, datetime.time(9, 30), None, "Élus"),
    PointSaisi(
        "Visite de terrain en car",
        1,
        datetime.time(10),
        datetime.time(12, 30),
        "Le groupement",
    ),
    PointSaisi("Déjeuner sur place", 1, datetime.time(12, 30), datetime.time(14)),
    PointSaisi(
        "Ateliers en tables : habiter, travailler, se déplacer",
        1,
        datetime.time(14),
        datetime.time(16, 30),
        "Le groupement",
    ),
    PointSaisi("Restitution des tables et suites", 1, datetime.time(16, 30), datetime.time(17)),
]
PARTICIPANTS = [
    ("Anne", "Lemoine", "{collectivite}", Participant.College.ELUS),
    ("Didier", "Caron", "{collectivite}", Participant.College.ELUS),
    ("Karim", "Benali", "{pilote}", Participant.College.ETAT),
    ("Sylvie", "Roux", "Sous-préfecture", Participant.College.ETAT),
    ("Olivier", "Dumas", "Chambre d'agriculture", Participant.College.SOCIO_ECONOMIQUES),
    ("Laure", "Gilbert", "Club des entreprises", Participant.College.SOCIO_ECONOMIQUES),
    ("Pierre", "Marty", "Association de sauvegarde du littoral", Participant.College.ASSOCIATIONS),
    ("Manon", "Petit", "Conseil de développement", Participant.College.HABITANTS),
]

RESTITUTION = {
    "lieu": "Salle du conseil communautaire",
    "audience": "Les élus du territoire, les services de l'État, les partenaires des trois "
    "sessions et les habitants qui y ont pris part.",
    "compte_rendu": "Le groupement a présenté la feuille de route et ses actions prioritaires ; "
    "les élus de {territoire} ont annoncé un comité de suivi avec l'État.",
}
