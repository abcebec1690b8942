"""What every page of a marché shares: the marché loaded among those the user sees (404
otherwise), its breadcrumb, and the base of a confirmed action on it."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_fsm import can_proceed, has_transition_perm

from ateliers.views import ActionConfirmeeView
from comptes.models import Utilisateur
from marches.models import MarcheSubsequent
from marches.selectors import marches_visibles

ACTIONS_MARCHE = {
    t.name: t.custom
    for t in MarcheSubsequent._meta.get_field("statut").get_all_transitions(MarcheSubsequent)
}


def marche_de(request: HttpRequest, pk: int) -> MarcheSubsequent:
    """The marché `pk` if this user may see it; 404 otherwise, never 403 (an id guessed in a URL
    tells nothing)."""
    return get_object_or_404(
        marches_visibles(request.user).select_related(
            "atelier", "accord_cadre", "attributaire", "atelier__service_pilote"
        ),
        pk=pk,
    )


def fil_ariane(marche: MarcheSubsequent, courant: str | None = None) -> dict[str, Any]:
    liens = [
        {"url": reverse("marches:liste"), "title": "Marchés subséquents"},
    ]
    if courant is None:
        return {"links": liens, "current": marche.reference}
    liens.append({"url": reverse("marches:marche", args=[marche.pk]), "title": marche.reference})
    return {"links": liens, "current": courant}


def action_marche(marche: MarcheSubsequent, transition: str, url: str) -> dict[str, Any]:
    """A transition of the marché shaped like the atelier page's actions (modal, page)."""
    return {"nom": transition, "url": url, "vu": marche.statut, **ACTIONS_MARCHE[transition]}


class MarcheActionView(ActionConfirmeeView):
    """One action on a marché, confirmed: the marché is loaded among those the user sees (404),
    the transition is checked on it (a message if its state no longer allows it, 403 if the user
    may not), and the user goes back to the marché's page."""

    template_name = "marches/marche_action.html"
    marche: MarcheSubsequent
    transition: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.marche = marche_de(request, kwargs["marche"])
            kwargs["pk"] = self.marche.atelier_id
            self.kwargs = kwargs
        return super().dispatch(request, *args, **kwargs)

    def action(self) -> dict[str, Any]:
        return action_marche(
            self.marche,
            self.transition,
            reverse(f"marches:{self.transition}", args=[self.marche.pk]),
        )

    def refus(self) -> HttpResponse | None:
        methode = getattr(self.marche, self.transition)
        if not can_proceed(methode):
            messages.error(
                self.request,
                f"Cette action n'est pas possible : le marché est « "
                f"{self.marche.get_statut_display()} ».",
            )
            return redirect(self.atelier_url())
        if not has_transition_perm(methode, self.request.user):
            raise PermissionDenied("Vous n'avez pas le droit de faire cette action.")
        return None

    def atelier_url(self) -> str:
        return reverse("marches:marche", args=[self.marche.pk])

    def contexte_page(self) -> dict[str, Any]:
        return {"marche": self.marche}

    def par(self) -> Utilisateur:
        return cast(Utilisateur, self.request.user)  # LoginRequiredMixin: never anonymous

    def page(self, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                **self.contexte_page(),
                "atelier": self.atelier,
                "action": self.action_demandee,
                "form": form,
                "breadcrumb_data": fil_ariane(self.marche, self.action_demandee["libelle"]),
            },
            status=status,
        )
