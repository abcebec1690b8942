"""What the livrables show on an atelier's page: the five, where each stands, from the
cadrage on, for who follows the accompagnement."""

from ateliers.models import Atelier, Cadrage
from ateliers.sections import Section
from comptes.models import AnyUser
from livrables.models import Livrable
from livrables.selectors import livrables_de


def section_livrables(*, atelier: Atelier, user: AnyUser) -> Section | None:
    """The atelier's five livrables with their state and planned date, once its cadrage is
    open; nothing for who does not read them."""
    if not Cadrage.objects.filter(atelier=atelier).exists():
        return None
    if not user.has_perm("livrables.view_livrable", Livrable(atelier=atelier)):
        return None
    return Section(
        titre="Livrables",
        ancre="livrables",
        gabarit="livrables/_section_livrables.html",
        contexte={"livrables": livrables_de(atelier)},
    )
