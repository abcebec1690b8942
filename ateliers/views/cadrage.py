"""The cadrage's pages: the réunion and the calendar, their two forms, and its closing."""

from abc import ABCMeta, abstractmethod
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_fsm import can_proceed, has_transition_perm

from ateliers.forms.cadrage import CadrageForm, CalendrierForm
from ateliers.models import PHASES_ACCOMPAGNEMENT, Atelier, Cadrage, EtapePrevue
from ateliers.selectors.cadrage import etapes_prevues
from ateliers.services import ActionImpossible
from ateliers.services.cadrage import (
    MODIFIER,
    cadrage_clore,
    cadrage_enregistrer,
    calendrier_fixer,
)
from ateliers.views import ActionConfirmeeView
from comptes.models import Utilisateur

CLORE = Cadrage._meta.get_field("statut").get_all_transitions(Cadrage)
ACTION_CLORE = next(t.custom for t in CLORE if t.name == "clore")


def cadrage_de(request: HttpRequest, pk: int) -> Cadrage:
    """The cadrage of atelier `pk` if this user follows its accompagnement; 404 otherwise."""
    cadrage = get_object_or_404(
        Cadrage.objects.select_related(
            "atelier", "atelier__service_pilote", "atelier__groupement", "presentation"
        ),
        atelier_id=pk,
    )
    if not request.user.has_perm("ateliers.view_cadrage", cadrage):
        raise Http404
    return cadrage


def atelier_suivi(request: HttpRequest, pk: int, modele: type[Model]) -> Atelier:
    """Atelier `pk`, once notified, if this user may read `modele`'s objects of its
    accompagnement (an inter-atelier, its restitution); 404 otherwise."""
    atelier = get_object_or_404(
        Atelier.objects.select_related("service_pilote", "groupement"),
        pk=pk,
        cadrage__isnull=False,
    )
    permission = f"ateliers.view_{modele._meta.model_name}"
    if not request.user.has_perm(permission, modele(atelier=atelier)):
        raise Http404
    return atelier


def fil(atelier: Atelier, courant: str, *parents: tuple[str, str]) -> dict[str, Any]:
    """The breadcrumb of a page of the atelier's accompagnement, under the atelier's page."""
    liens = [
        {"url": reverse("portail:ateliers"), "title": "Ateliers"},
        {"url": reverse("portail:atelier", args=[atelier.pk]), "title": atelier.reference},
        *({"url": url, "title": titre} for url, titre in parents),
    ]
    return {"links": liens, "current": courant}


def _fil(cadrage: Cadrage, courant: str | None = None) -> dict[str, Any]:
    atelier = cadrage.atelier
    if courant is None:
        return fil(atelier, "Cadrage")
    return fil(atelier, courant, (reverse("ateliers:cadrage", args=[atelier.pk]), "Cadrage"))


def _calendrier(cadrage: Cadrage) -> list[dict[str, Any]]:
    jalons = etapes_prevues(cadrage.atelier)
    return [
        {"libelle": libelle, "date": jalons[nature].date_prevue if nature in jalons else None}
        for nature, libelle in EtapePrevue.Nature.choices
    ]


class CadrageView(LoginRequiredMixin, View):
    """The cadrage as everyone who follows the atelier reads it, with what this user may do."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cadrage = cadrage_de(request, pk)
        user = request.user
        clore = cadrage.clore
        # A closed atelier is read-only (its clôture, livrables): no button writes any more.
        ouvert = cadrage.atelier.phase in PHASES_ACCOMPAGNEMENT
        return render(
            request,
            "ateliers/cadrage.html",
            {
                "cadrage": cadrage,
                "atelier": cadrage.atelier,
                "calendrier": _calendrier(cadrage),
                "peut_modifier": ouvert
                and user.has_perm(MODIFIER, cadrage)
                and cadrage.statut == Cadrage.Statut.A_TENIR,
                "peut_fixer": ouvert and user.has_perm("ateliers.fixer_calendrier", cadrage),
                "action_clore": (
                    {
                        "url": reverse("ateliers:cadrage_clore", args=[pk]),
                        **ACTION_CLORE,
                    }
                    if can_proceed(clore) and has_transition_perm(clore, user)
                    else None
                ),
                "breadcrumb_data": _fil(cadrage),
            },
        )


class _FormulaireCadrageView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """A form of the cadrage: shown again with its errors (400) and what was typed, or run by
    its service, with a message, back to the cadrage's page."""

    titre: str
    gabarit = "ateliers/accompagnement_form.html"
    permission: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.cadrage = cadrage_de(request, kwargs["pk"])
            if not request.user.has_perm(self.permission, self.cadrage):
                raise PermissionDenied("Vous n'avez pas le droit de modifier ce cadrage.")
        return super().dispatch(request, *args, **kwargs)

    @abstractmethod
    def formulaire(self, data: Any = None, files: Any = None) -> Any:
        """The form, bound to `data` and `files` when they are given."""

    @abstractmethod
    def enregistrer(self, form: Any) -> str:
        """Run the service; return the success message."""

    def page(self, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.gabarit,
            {
                "cadrage": self.cadrage,
                "atelier": self.cadrage.atelier,
                "form": form,
                "titre": self.titre,
                "vu": self.cadrage.statut,
                "annuler": reverse("ateliers:cadrage", args=[self.cadrage.atelier_id]),
                "breadcrumb_data": _fil(self.cadrage, self.titre),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.formulaire())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.formulaire(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            message = self.enregistrer(form)
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.page(form, status=400)
        messages.success(request, message)
        return redirect("ateliers:cadrage", pk)


class CadrageModifierView(_FormulaireCadrageView):
    titre = "Réunion de cadrage"
    permission = MODIFIER

    def formulaire(self, data: Any = None, files: Any = None) -> CadrageForm:
        return CadrageForm(data, files, cadrage=self.cadrage)

    def enregistrer(self, form: CadrageForm) -> str:
        cadrage_enregistrer(
            cadrage=self.cadrage,
            par=cast(Utilisateur, self.request.user),
            vu=self.request.POST.get("vu", ""),
            valeurs=form.valeurs(),
            presentation=form.cleaned_data.get("presentation"),
        )
        return "La réunion de cadrage est enregistrée."


class CalendrierFixerView(_FormulaireCadrageView):
    titre = "Calendrier prévisionnel"
    permission = "ateliers.fixer_calendrier"

    def formulaire(self, data: Any = None, files: Any = None) -> CalendrierForm:
        return CalendrierForm(data, jalons=etapes_prevues(self.cadrage.atelier))

    def enregistrer(self, form: CalendrierForm) -> str:
        changes = calendrier_fixer(
            cadrage=self.cadrage,
            par=cast(Utilisateur, self.request.user),
            dates=dict(form.cleaned_data),
        )
        if not changes:
            return "Le calendrier prévisionnel n'a pas changé."
        return f"Calendrier prévisionnel enregistré : {len(changes)} date(s) modifiée(s)."


class CadrageCloreView(ActionConfirmeeView):
    """Close the cadrage, confirmed: the atelier then enters session 1."""

    template_name = "ateliers/cadrage_clore.html"

    def action(self) -> dict[str, Any]:
        self.cadrage = cadrage_de(self.request, self.kwargs["pk"])
        return {
            "nom": "clore",
            "url": reverse("ateliers:cadrage_clore", args=[self.atelier.pk]),
            "vu": self.cadrage.statut,
            **ACTION_CLORE,
        }

    def refus(self) -> HttpResponse | None:
        clore = self.cadrage.clore
        if not can_proceed(clore):
            messages.error(self.request, "Ce cadrage est déjà clos.")
            return redirect("ateliers:cadrage", self.atelier.pk)
        if not has_transition_perm(clore, self.request.user):
            raise PermissionDenied("Seul le service pilote clôt le cadrage.")
        return None

    def contexte_page(self) -> dict[str, Any]:
        return {"cadrage": self.cadrage}

    def executer(self, form: Any) -> None:
        cadrage_clore(cadrage=self.cadrage, par=cast(Utilisateur, self.request.user), vu=self.vu())

    def atelier_url(self) -> str:
        return reverse("ateliers:cadrage", args=[self.atelier.pk])
