"""The shape of a stage's part of the atelier page (the candidature, later the marché…).

Each stage's app builds its own from its selectors; `portail.selectors.sections` calls them in
the programme's order. `ateliers` knows none of them.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    titre: str
    ancre: str
    gabarit: str
    contexte: dict[str, Any] = field(default_factory=dict)
    # How this section words what the stage expects of the user, when its « à traiter » says
    # that it expects something (labels).
    a_faire: tuple[str, ...] = ()
    # The atelier's phase changes this stage owns and offers the user (abandoning it…), shown
    # with the page's own.
    actions: tuple[dict[str, Any], ...] = ()


def section_accompagnement(*, atelier: Any, user: Any) -> Section | None:
    """The accompagnement once the marché is notified: the cadrage and its calendar, for who
    follows it (its porteurs, its groupement, DGALN)."""
    from ateliers.models import PHASES_ACCOMPAGNEMENT, Phase
    from ateliers.selectors.cadrage import cadrage_de_l_atelier

    apres_notification = [*PHASES_ACCOMPAGNEMENT, Phase.CLOTURE]
    if atelier.phase not in apres_notification and atelier.phase_avant_sortie not in (
        apres_notification
    ):
        return None
    cadrage = cadrage_de_l_atelier(atelier)
    if cadrage is None or not user.has_perm("ateliers.view_cadrage", cadrage):
        return None
    return Section(
        titre="Accompagnement",
        ancre="accompagnement",
        gabarit="ateliers/_section_accompagnement.html",
        contexte={"cadrage": cadrage},
    )


def section_sessions(*, atelier: Any, user: Any) -> Section | None:
    """The atelier's three sessions and where each stands, for who may read them."""
    from ateliers.selectors.session import sessions_de

    sessions = sessions_de(atelier, user)
    if not sessions:
        return None
    return Section(
        titre="Sessions",
        ancre="sessions",
        gabarit="ateliers/_section_sessions.html",
        contexte={"sessions": sessions},
    )
