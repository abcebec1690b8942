"""The atelier's own pages (each of its phase changes, confirmed; its fiche PDF) and the base
of every page that confirms one action on an atelier, whichever stage owns the action."""

from abc import ABCMeta, abstractmethod
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_fsm import can_proceed, has_transition_perm

from ateliers.forms import action_form
from ateliers.models import Atelier
from ateliers.selectors import atelier_pour_liste, ateliers_visibles
from ateliers.services import (
    ACTIONS_PHASE,
    ActionImpossible,
    atelier_changer_phase,
    atelier_demander_fiche,
    etape_de,
)
from comptes.models import Utilisateur


def actions_proposees(atelier: Atelier, user: Any, *, toutes: bool = False) -> list[dict[str, Any]]:
    """The phase changes this user may make, forward actions first. Unless `toutes`, those that
    a stage owns (custom "etape") are left out: that stage offers them."""
    transitions = atelier.get_available_user_phase_transitions(user)  # type: ignore[attr-defined]
    return sorted(
        (
            {
                "nom": t.name,
                "url": reverse("ateliers:action", args=[atelier.pk, t.name]),
                "vu": atelier.phase,
                **t.custom,
            }
            for t in transitions
            if toutes or not t.custom.get("etape")
        ),
        key=lambda a: bool(a.get("danger")),
    )


class PageLaPlusProcheMixin:
    """For a paginated list: a page number out of range or mistyped shows the nearest page,
    not an error."""

    request: HttpRequest

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, Any, Any, bool]:
        paginator = self.get_paginator(queryset, page_size)  # type: ignore[attr-defined]
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class ActionConfirmeeView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """One action on an atelier, one URL: GET shows its confirmation page (the atelier page's
    modal, without JavaScript), POST validates its form, runs its service, says what followed
    and goes back to the atelier page. 404 for an atelier the user does not see.

    The apps of every stage build their own on this base, through its public hooks:
    - `action()` (required): the action, shaped like the atelier page's (`nom`, `url`, `vu`,
      `libelle`, `consequence`, `journal`…), or Http404;
    - `executer(form)` (required): call the service (ActionImpossible becomes the message);
    - `refus()`: a response instead of the page (a redirect with its message), PermissionDenied,
      or None; by default the checks of the atelier's phase change named `action()["nom"]`;
    - `contexte_page()`: what the confirmation page shows besides the action and its form;
    - `message_succes()`: what the user reads once done.
    """

    template_name = "ateliers/atelier_action.html"
    atelier: Atelier
    action_demandee: dict[str, Any]
    nom: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.atelier = get_object_or_404(
                atelier_pour_liste(ateliers_visibles(request.user)), pk=kwargs["pk"]
            )
            self.action_demandee = self.action()
            self.nom = self.action_demandee["nom"]
        return super().dispatch(request, *args, **kwargs)

    @abstractmethod
    def action(self) -> dict[str, Any]:
        """The action this URL confirms (see the class's docstring)."""

    @abstractmethod
    def executer(self, form: Any) -> None:
        """Run the action's service with the validated form."""

    def refus(self) -> HttpResponse | None:
        methode = getattr(self.atelier, self.nom)
        if not can_proceed(methode):
            messages.error(
                self.request,
                f"Cette action n'est pas possible : l'atelier est à l'étape "
                f"« {self.atelier.get_phase_display()} ».",
            )
            return redirect(self.atelier_url())
        if not has_transition_perm(methode, self.request.user):
            raise PermissionDenied("Vous n'avez pas le droit de faire cette action.")
        return None

    def contexte_page(self) -> dict[str, Any]:
        return {}

    def message_succes(self) -> str:
        return f"{self.action_demandee['journal']}."

    def vu(self) -> str:
        """The state the user saw, sent back by the form (empty if missing: then refused)."""
        return self.request.POST.get("vu", "")

    def atelier_url(self) -> str:
        return reverse("portail:atelier", args=[self.atelier.pk])

    def page(self, form: Any, status: int = 200) -> HttpResponse:
        """The confirmation page, with `form` (None: no form, as when the dépôt lacks pieces)."""
        return render(
            self.request,
            self.template_name,
            {
                **self.contexte_page(),
                "atelier": self.atelier,
                "action": self.action_demandee,
                "form": form,
                "breadcrumb_data": {
                    "links": [
                        {"url": reverse("portail:ateliers"), "title": "Ateliers"},
                        {"url": self.atelier_url(), "title": self.atelier.reference},
                    ],
                    "current": self.action_demandee["libelle"],
                },
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refus() or self.page(action_form(self.action_demandee, prefix=self.nom))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refus = self.refus()
        if refus:
            return refus
        form = action_form(self.action_demandee, request.POST, prefix=self.nom)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            self.executer(form)
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.message_succes())
        return redirect(self.atelier_url())


class AtelierActionView(ActionConfirmeeView):
    """One of the atelier's own phase changes, named in the URL; 403 if not allowed."""

    def action(self) -> dict[str, Any]:
        """The phase change named in the URL; one that a stage owns from this phase is a 404."""
        nom = self.kwargs["transition"]
        if nom not in ACTIONS_PHASE or etape_de(self.atelier, nom):
            raise Http404
        return {
            "nom": nom,
            "url": reverse("ateliers:action", args=[self.atelier.pk, nom]),
            "vu": self.atelier.phase,
            **ACTIONS_PHASE[nom],
        }

    def executer(self, form: Any) -> None:
        atelier_changer_phase(
            atelier=self.atelier,
            transition=self.nom,
            par=cast(Utilisateur, self.request.user),  # LoginRequiredMixin: never anonymous
            vu=self.vu(),
            motif=form.cleaned_data["motif"],
        )


class AtelierFicheView(LoginRequiredMixin, View):
    """Ask for the atelier's fiche PDF; whoever may see the atelier may ask for it."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        atelier = get_object_or_404(ateliers_visibles(request.user), pk=pk)
        atelier_demander_fiche(atelier=atelier, par=cast(Utilisateur, request.user))
        messages.success(
            request,
            "La fiche de l'atelier est demandée : elle apparaît dans la partie Documents "
            "dès qu'elle est prête.",
        )
        return redirect(reverse("portail:atelier", args=[pk]) + "#documents")
