"""What the livrables show on an atelier's page: the five, where each stands, from the
cadrage on, for who follows the accompagnement."""

from ateliers.models import Atelier
from ateliers.sections import Section
from ateliers.selectors.cadrage import cadrage_de_l_atelier
from comptes.models import AnyUser
from livrables.models import Livrable
from livrables.selectors import livrables_de


def section_livrables(*, atelier: Atelier, user: AnyUser) -> Section | None:
    """The atelier's five livrables with their state and planned date, once its cadrage is
    open; nothing for who does not read them."""
    if cadrage_de_l_atelier(atelier) is None:
        return None
    if not user.has_perm("livrables.view_livrable", Livrable(atelier=atelier)):
        return None
    return Section(
        titre="Livrables",
        ancre="livrables",
        gabarit="livrables/_section_livrables.html",
        contexte={"livrables": livrables_de(atelier)},
    )
