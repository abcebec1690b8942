"""The clôture of an atelier: its confirmation page, which says what is missing or what will
follow, and its action, for the pilot."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ateliers.models import Phase
from ateliers.views import ActionConfirmeeView
from comptes.models import Utilisateur
from livrables.models import CLOTURER, Cloture
from livrables.selectors.cloture import manques_de_la_cloture
from livrables.services import atelier_cloturer

# The clôture's own words (libellé, conséquence, journal), from its transition.
PRONONCER = next(
    t.custom
    for t in Cloture._meta.get_field("statut").get_all_transitions(Cloture)
    if t.name == "prononcer"
)


def action_cloturer(atelier) -> dict[str, Any]:
    """The clôture as the atelier's page offers it."""
    return {
        "nom": "cloturer",
        "url": reverse("livrables:cloturer", args=[atelier.pk]),
        "vu": atelier.phase,
        **PRONONCER,
    }


def peut_cloturer(atelier, user) -> bool:
    """May this user close the atelier (its pilot), whatever is still missing."""
    return user.has_perm(CLOTURER, Cloture(atelier=atelier))


class CloturerView(ActionConfirmeeView):
    """Close the atelier: its pilot, once the five livrables are validated and the restitution
    held; the page lists what is still missing, or what the clôture will do."""

    template_name = "livrables/cloture_confirmer.html"

    def action(self) -> dict[str, Any]:
        return action_cloturer(self.atelier)

    def refus(self) -> HttpResponse | None:
        if not peut_cloturer(self.atelier, self.request.user):
            raise PermissionDenied("Seul le service pilote de l'atelier le clôture.")
        if self.atelier.phase != Phase.RESTITUTION:
            messages.error(
                self.request,
                "Cette action n'est pas possible : l'atelier est à l'étape "
                f"« {self.atelier.get_phase_display()} ».",
            )
            return redirect(self.atelier_url())
        return None

    def contexte_page(self) -> dict[str, Any]:
        return {"manques": manques_de_la_cloture(self.atelier)}

    def executer(self, form: Any) -> None:
        atelier_cloturer(
            atelier=self.atelier,
            par=cast(Utilisateur, self.request.user),  # LoginRequiredMixin: never anonymous
            vu=self.vu(),
            commentaire=form.cleaned_data["motif"],
        )

    def message_succes(self) -> str:
        return (
            "Atelier clôturé : il ne se modifie plus ; son livret de capitalisation et sa "
            "feuille de route sont publiables. Les porteurs et la DGALN sont prévenus."
        )
