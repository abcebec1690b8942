"""The one check before each write on a livrable: who may do it, and, once the atelier is closed
or abandoned, the reason nobody may any longer (said as such, not as a matter of role)."""

from typing import Any

from django.core.exceptions import PermissionDenied

from ateliers.models import Phase
from ateliers.services import ActionImpossible
from comptes.models import Utilisateur

FERMEES = (Phase.CLOTURE, Phase.ABANDONNE)


def exiger(par: Utilisateur, permission: str, objet: Any, qui: str) -> None:
    """Refuse unless `par` holds `permission` on `objet` (a livrable, a version's livrable):
    ActionImpossible when its atelier is closed and `par` follows it, PermissionDenied with
    `qui` (who may) otherwise."""
    if par.has_perm(permission, objet):
        return
    atelier = objet.atelier
    if atelier.phase in FERMEES and par.has_perm("livrables.view_livrable", objet):
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : ses livrables ne "
            "changent plus."
        )
    raise PermissionDenied(qui)
