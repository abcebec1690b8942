"""The clôture's part of the atelier's page, from its restitution on: what the clôture still
waits for, the pilot's button once nothing is missing, then the clôture pronounced."""

from typing import Any

from ateliers.forms import action_form
from ateliers.models import Atelier, Phase
from ateliers.sections import Section
from comptes.models import AnyUser
from livrables.models import Cloture, Livrable
from livrables.selectors.attentes_cloture import LIBELLE
from livrables.selectors.cloture import manques_de_la_cloture
from livrables.views.cloture import action_cloturer, peut_cloturer


def section_cloture(*, atelier: Atelier, user: AnyUser) -> Section | None:
    """The clôture, for who follows the accompagnement, once the atelier is in its
    restitution; nothing before, nor for anyone else."""
    if atelier.phase not in (Phase.RESTITUTION, Phase.CLOTURE):
        return None
    if not user.has_perm("livrables.view_livrable", Livrable(atelier=atelier)):
        return None
    cloture = Cloture.objects.filter(atelier=atelier).select_related("prononcee_par").first()
    manques = manques_de_la_cloture(atelier) if atelier.phase == Phase.RESTITUTION else []
    actions: tuple[dict[str, Any], ...] = ()
    pilote = peut_cloturer(atelier, user)
    if atelier.phase == Phase.RESTITUTION and pilote and not manques:
        action = action_cloturer(atelier)
        action["form"] = action_form(action, prefix=action["nom"])
        actions = (action,)
    return Section(
        titre="Clôture",
        ancre="cloture",
        gabarit="livrables/_section_cloture.html",
        contexte={
            "cloture": cloture if cloture and cloture.statut == Cloture.Statut.PRONONCEE else None,
            "manques": manques,
            "pilote": pilote,
            "publiables": list(
                Livrable.objects.filter(atelier=atelier, publiable=True).order_by("type")
            )
            if atelier.phase == Phase.CLOTURE
            else [],
        },
        a_faire=(LIBELLE,) if actions else (),
        actions=actions,
    )
