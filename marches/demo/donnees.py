"""Ce que la démo des marchés enregistre : accords-cadres, plans des ateliers, offres, notes,
échéancier (des données, pas du code)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from marches.models import (
    DocumentAccordCadre,
    Jalon,
)
from marches.services import (
    TrancheSaisie,
)

ACHETEUR = "DGALN — bureau AD1"
# FICTIONAL: the SIRETs below are made up for the demo (14 digits with a valid check key); they
# name no real establishment, the ministry's or the firms'.
SIRET_ACHETEUR = "11000990000017"
SIRETS_MANDATAIRES = {
    "Groupement 1 — Alphaville": "90000001000018",
    "Groupement 2 — Altitude 35": "90000002000017",
    "Groupement 3 — INterland": "90000003000016",
    "Groupement 4 — Équipe démo Littoral (fictif)": "90000004000015",
    "Groupement 5 — Équipe démo Piémont (fictif)": "90000005000014",
}
G1 = "Groupement 1 — Alphaville"
G4 = "Groupement 4 — Équipe démo Littoral (fictif)"
G5 = "Groupement 5 — Équipe démo Piémont (fictif)"
# FICTIONAL: the 2025 page names only the first of the six titulaires of the current
# accord-cadre; the demo needs three to consult, so it invents two teams, said fictional in
# their names and in those of their invented firms (no real firm, no real person).
GROUPEMENTS_FICTIFS = {
    G4: [
        ("Atelier Marée Haute (fictif)", "mandataire", "urbanisme, programmation"),
        ("Dunes et Paysages (fictif)", "co_traitant", "paysage, espace public"),
        ("Cap Mobilités (fictif)", "co_traitant", "mobilité"),
    ],
    G5: [
        ("Terres d'Études (fictif)", "mandataire", "urbanisme, prospective"),
        ("Atelier des Versants (fictif)", "co_traitant", "architecture, paysage"),
        ("Écotone Conseil (fictif)", "co_traitant", "environnement, énergie"),
        ("Parole Publique (fictif)", "co_traitant", "concertation, graphisme"),
    ],
}

# (référence, intitulé, début, fin, [(groupement, notifié le)]). The 2023 kit: the accord-cadre
# of 2019 ends at the end of October 2023 with three titulaires; the 2025 page: the current one
# follows it, valid until 2027, with six titulaires of which it names only the first.
# References and notification dates are plausible, not the real ones.
ACCORDS_CADRES = [
    (
        "DHUP-AD1-2019-AT",
        "Accompagnement des Ateliers des territoires par des équipes pluridisciplinaires "
        "(2019-2023)",
        datetime.date(2019, 11, 1),
        datetime.date(2023, 10, 31),
        [
            ("Groupement 1 — Alphaville", datetime.date(2019, 10, 24)),
            ("Groupement 2 — Altitude 35", datetime.date(2019, 10, 24)),
            ("Groupement 3 — INterland", datetime.date(2019, 10, 24)),
        ],
    ),
    (
        "DHUP-AD1-2023-AT",
        "Accompagnement des Ateliers des territoires par des équipes pluridisciplinaires "
        "(2024-2027)",
        datetime.date(2024, 1, 1),
        datetime.date(2027, 12, 31),
        [
            ("Groupement 1 — Alphaville", datetime.date(2023, 12, 18)),
            (G4, datetime.date(2023, 12, 18)),
            (G5, datetime.date(2023, 12, 18)),
        ],
    ),
]
# What DGALN sends the State services with the accord-cadre in force (the 2023 kit).
DOCUMENTS = [
    (DocumentAccordCadre.Type.CCP, "CCP de l'accord-cadre"),
    (DocumentAccordCadre.Type.BORDEREAU_PRIX, "Bordereaux des prix"),
    (DocumentAccordCadre.Type.MODELE_NOTE, "Modèle de note méthodologique"),
]


CONSULTATION = "consultation"
ANALYSE = "analyse"
NOTIFICATION = "notification"


@dataclass(frozen=True)
class PlanAccompagnement:
    """What a notified atelier's accompagnement holds besides the phase changes its plan in
    ATELIERS goes through, by session number: the comptes-rendus the groupement writes and
    those the pilot validates, the sessions after which it writes inter-ateliers; the session
    the current phase prepares, planned and convened; the restitution recorded."""

    comptes_rendus: tuple[int, ...] = ()
    valides: tuple[int, ...] = ()
    inter_ateliers: tuple[int, ...] = ()
    prochaine_session: bool = False
    restitution: bool = False


@dataclass(frozen=True)
class PlanMarche:
    """How far the marché of a demo atelier goes: published (`jusqua` consultation), its
    offers under analysis, or notified to the groupement its atelier's plan names, then
    what its accompagnement holds."""

    jusqua: str
    reference_place: str
    offres: tuple[str, ...] = ()
    execution: bool = False
    accompagnement: PlanAccompagnement = PlanAccompagnement()


# By the start of the atelier's title (ATELIERS in charger_demo); an atelier whose plan opens
# a marché and is not listed here stays in preparation. References PLACE are made up.
PLANS = {
    "Pays Basque": PlanMarche(CONSULTATION, "2026-DDTM64-AL-0142"),
    "Vitré Communauté": PlanMarche(ANALYSE, "2026-DDTM35-AL-0157", (G1, G4, G5)),
    "Arles-Crau-Camargue": PlanMarche(
        NOTIFICATION,
        "2026-DDTM13-AL-0098",
        (G1, G4),
        execution=True,
        accompagnement=PlanAccompagnement(comptes_rendus=(1,), inter_ateliers=(1,)),
    ),
    # Closed by charger_demo_livrables: its comptes-rendus make its carnet de suivi.
    "Grand Besançon": PlanMarche(
        NOTIFICATION,
        "2025-DDT25-AL-0061",
        (G1, G5),
        accompagnement=PlanAccompagnement(
            comptes_rendus=(1, 2, 3), valides=(1, 2, 3), inter_ateliers=(1, 2)
        ),
    ),
    "Cotentin": PlanMarche(NOTIFICATION, "2026-DDTM50-AL-0171", (G1, G4)),
    "Roannais Agglomération": PlanMarche(
        NOTIFICATION,
        "2026-DDT42-AL-0133",
        (G1, G5),
        accompagnement=PlanAccompagnement(prochaine_session=True),
    ),
    # Its session 1's compte-rendu is still not written, weeks after: the alert shows it.
    "Sète Agglopôle Méditerranée": PlanMarche(
        NOTIFICATION,
        "2026-DDTM34-AL-0109",
        (G1, G4),
        accompagnement=PlanAccompagnement(comptes_rendus=(2,), valides=(2,), inter_ateliers=(1, 2)),
    ),
    "Dunkerque": PlanMarche(
        NOTIFICATION,
        "2025-DDTM59-AL-0087",
        (G1, G5),
        accompagnement=PlanAccompagnement(
            comptes_rendus=(1, 2, 3), valides=(1, 2, 3), inter_ateliers=(1, 2), restitution=True
        ),
    ),
}
# Every offer's amount HT and breakdown by phase (the bordereau's rows), by groupement.
OFFRES = {
    G1: (
        Decimal("94500"),
        [("Cadrage", "12500"), ("Sessions", "63000"), ("Livrables et restitution", "19000")],
    ),
    G4: (
        Decimal("89000"),
        [("Cadrage", "11000"), ("Sessions", "60000"), ("Livrables et restitution", "18000")],
    ),
    G5: (
        Decimal("98000"),
        [("Cadrage", "14000"), ("Sessions", "64000"), ("Livrables et restitution", "20000")],
    ),
}
# Collegial marks (out of 5) of the marked criteria in the grid's order: méthodologie,
# compréhension des enjeux, composition de l'équipe. The attributaire's are the best.
NOTES_RETENUE = ("4.5", "4.5", "4")
NOTES = {G1: ("4", "4", "4.5"), G4: ("3.5", "4", "3"), G5: ("4", "3.5", "3.5")}
JUSTIFICATION = {
    0: "Une méthode d'atelier claire, des sessions préparées avec les acteurs du territoire.",
    1: "Les enjeux du territoire sont compris et reformulés avec justesse.",
    2: "Une équipe complète ; les compétences demandées par le CCTP sont toutes présentes.",
}
CALENDRIER = (
    "Réunion de lancement le mois de la notification, session 1 au troisième mois, session 2 "
    "au sixième, session 3 au neuvième, restitution finale au douzième."
)
# The échéancier of the marché whose money the demo shows, summing to 100 %.
ECHEANCIER = [
    TrancheSaisie("Avance à la notification", Jalon.AVANCE, Decimal(30)),
    TrancheSaisie("Note de cadrage validée", Jalon.NOTE_CADRAGE, Decimal(20)),
    TrancheSaisie("Session 1 tenue", Jalon.SESSION_1, Decimal(15)),
    TrancheSaisie("Session 2 tenue", Jalon.SESSION_2, Decimal(15)),
    TrancheSaisie("Session 3 tenue", Jalon.SESSION_3, Decimal(10)),
    TrancheSaisie("Livrables finaux validés", Jalon.LIVRABLES_FINAUX, Decimal(10)),
]
CADRAGE_COMPTE_RENDU = (
    "Le groupement a présenté sa méthode et son équipe. Les porteurs ont précisé les enjeux "
    "prioritaires et les acteurs à associer ; le calendrier prévisionnel a été arrêté, avec les "
    "lieux pressentis des trois sessions."
)
# How long the offers have to arrive in the marchés the demo takes past their deadline: the
# command waits this long once, for all of them. Three seconds were not enough on a loaded
# machine: the publication and the offers' pieces took longer, and the offers came in late.
DELAI_DEMO = datetime.timedelta(seconds=15)
# The collectivité's account of the marché under analysis, which marks the offers with the
# pilot (fictional person).
PORTEUR_ANALYSE = ("porteur.vitre@demo.atelier-local.test", "Gaëlle", "Porteur")


def plan_de(intitule: str) -> PlanMarche | None:
    return next((p for debut, p in PLANS.items() if intitule.startswith(debut)), None)
