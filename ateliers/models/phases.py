"""The vocabulary of an atelier's life: its phases, who may move them, the journal's codes."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models


class Phase(models.TextChoices):
    PRE_CANDIDATURE = "pre_candidature", "Pré-candidature"
    CANDIDATURE = "candidature", "Candidature"
    INSTRUCTION = "instruction", "Instruction"
    ELIGIBLE = "eligible", "Éligible"
    MARCHE = "marche", "Marché subséquent"
    CADRAGE = "cadrage", "Lancement et cadrage"
    SESSION_1 = "session_1", "Session 1 : diagnostic et enjeux"
    SESSION_2 = "session_2", "Session 2 : stratégie"
    SESSION_3 = "session_3", "Session 3 : feuille de route"
    RESTITUTION = "restitution", "Production et restitution"
    CLOTURE = "cloture", "Clôturé"
    NON_ELIGIBLE = "non_eligible", "Non éligible"
    ABANDONNE = "abandonne", "Abandonné"


PARCOURS = [
    Phase.PRE_CANDIDATURE,
    Phase.CANDIDATURE,
    Phase.INSTRUCTION,
    Phase.ELIGIBLE,
    Phase.MARCHE,
    Phase.CADRAGE,
    Phase.SESSION_1,
    Phase.SESSION_2,
    Phase.SESSION_3,
    Phase.RESTITUTION,
    Phase.CLOTURE,
]
SORTIES = [Phase.NON_ELIGIBLE, Phase.ABANDONNE]
PHASES_TERMINALES = [Phase.CLOTURE, *SORTIES]
PHASES_EN_COURS = [p for p in PARCOURS if p != Phase.CLOTURE]
PHASES_ACCOMPAGNEMENT = [
    Phase.CADRAGE,
    Phase.SESSION_1,
    Phase.SESSION_2,
    Phase.SESSION_3,
    Phase.RESTITUTION,
]

# The first programme year the portal holds: no atelier was opened, deposited or decided before.
PREMIER_JOUR_DU_PORTAIL = datetime.date(2019, 1, 1)

PILOTER = "ateliers.piloter_atelier"
PORTER = "ateliers.porter_atelier"
INSTRUIRE = "ateliers.instruire_atelier"
ABANDONNER = "ateliers.abandonner_atelier"


@dataclass(frozen=True)
class PermissionSurLObjet:
    """A transition's permission checked on its object only. Given as a string, django-fsm also
    asks for the global permission when the object's is refused, and that costs Django's
    ModelBackend two queries on every page that lists the transitions a user may not fire."""

    permission: str

    def __call__(self, instance: models.Model, user: Any) -> bool:
        return bool(user.has_perm(self.permission, instance))


def sur_l_objet(permission: str) -> PermissionSurLObjet:
    return PermissionSurLObjet(permission)


class CodeAtelier(models.TextChoices):
    """The journal's codes for what ateliers itself does; each stage has its own list."""

    OUVERT = "atelier.ouvert", "Pré-candidature ouverte"
    MARCHE_LANCE = "atelier.marche_lance", "Marché subséquent lancé"
    CADRAGE_DEMARRE = "atelier.cadrage_demarre", "Cadrage démarré"
    SESSION_1_DEMARREE = "atelier.session_1_demarree", "Session 1 démarrée"
    SESSION_2_DEMARREE = "atelier.session_2_demarree", "Session 2 démarrée"
    SESSION_3_DEMARREE = "atelier.session_3_demarree", "Session 3 démarrée"
    RESTITUTION_DEMARREE = "atelier.restitution_demarree", "Restitution démarrée"
    CLOTURE = "atelier.cloture", "Atelier clôturé"
    ABANDONNE = "atelier.abandonne", "Atelier abandonné"
    # Before one line named both objects, the atelier's side of a stage's step had its own.
    PHASE_SUIVIE = "atelier.phase_suivie", "Phase de l'atelier suivant son étape"


ABANDON = {
    "journal": "Atelier abandonné",
    "libelle": "Abandonner l'atelier",
    "motif": True,
    "danger": True,
    "consequence": "L'atelier s'arrêtera définitivement ; le motif sera conservé.",
}
