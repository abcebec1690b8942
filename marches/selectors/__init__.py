"""Reads on marchés used in more than one place, above all what a user may see."""

from marches.selectors.analyse import (
    analyse_de,
    consultation_analysee,
    lettres_du_groupement,
    membres_du_jury,
    rapport_actuel,
    resultat_du_groupement,
)
from marches.selectors.attentes import (
    attentes,
)
from marches.selectors.cctp import (
    cctp_complet,
    contenu_fige,
    date_limite_lisible,
    etats_du_cctp,
    historique_partie_cctp,
    lire_contenu_fige,
    lire_partie,
    parties_du_cctp,
    ressources_de_la_version,
    versions_du_cctp,
)
from marches.selectors.consultation import (
    consultation_actuelle,
    journal_visible,
    mes_consultations,
    temps_restant,
)
from marches.selectors.finances import (
    SituationFinanciere,
    annees_de_notification,
    attentes_finances,
    montant_propose,
    situation_financiere,
    totaux_nationaux,
    tranches_du_jalon,
    tranches_liberables,
)
from marches.selectors.visibilite import (
    consultations_du_groupement,
    marche_actuel,
    marches_decp,
    marches_visibles,
)

__all__ = [
    "SituationFinanciere",
    "analyse_de",
    "annees_de_notification",
    "attentes",
    "attentes_finances",
    "cctp_complet",
    "consultation_actuelle",
    "consultation_analysee",
    "consultations_du_groupement",
    "contenu_fige",
    "date_limite_lisible",
    "etats_du_cctp",
    "historique_partie_cctp",
    "journal_visible",
    "lettres_du_groupement",
    "lire_contenu_fige",
    "lire_partie",
    "marche_actuel",
    "marches_decp",
    "marches_visibles",
    "membres_du_jury",
    "mes_consultations",
    "montant_propose",
    "parties_du_cctp",
    "rapport_actuel",
    "ressources_de_la_version",
    "resultat_du_groupement",
    "situation_financiere",
    "temps_restant",
    "totaux_nationaux",
    "tranches_du_jalon",
    "tranches_liberables",
    "versions_du_cctp",
]
