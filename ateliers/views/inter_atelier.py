"""The inter-ateliers' pages: the list with its filters, an entry, its form, its withdrawal."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView
from django_fsm import can_proceed, has_transition_perm

from ateliers.forms.inter_atelier import InterAtelierFiltreForm, InterAtelierForm
from ateliers.models import PHASES_ACCOMPAGNEMENT, Atelier, InterAtelier
from ateliers.selectors.inter_atelier import (
    auteurs_des_inter_ateliers,
    inter_ateliers_filtres,
    pieces_de,
)
from ateliers.services import ActionImpossible
from ateliers.services.inter_atelier import (
    ECRIRE,
    MODIFIER,
    inter_atelier_ecrire,
    inter_atelier_modifier,
    inter_atelier_retirer,
)
from ateliers.views import ActionConfirmeeView, PageLaPlusProcheMixin
from ateliers.views.cadrage import atelier_suivi, fil
from comptes.models import Utilisateur

RETIRER = next(
    t.custom
    for t in InterAtelier._meta.get_field("statut").get_all_transitions(InterAtelier)
    if t.name == "retirer"
)
TITRE = "Inter-ateliers"


def _fil(atelier: Atelier, courant: str | None = None) -> dict[str, Any]:
    if courant is None:
        return fil(atelier, TITRE)
    return fil(atelier, courant, (reverse("ateliers:inter_ateliers", args=[atelier.pk]), TITRE))


def entree_de(request: HttpRequest, pk: int, entree: int) -> InterAtelier:
    """Entry `entree` of atelier `pk`, published, if this user follows the atelier; 404
    otherwise (a withdrawn entry is read in the journal only)."""
    atelier = atelier_suivi(request, pk, InterAtelier)
    objet = get_object_or_404(
        InterAtelier.objects.publiees().select_related("auteur"), pk=entree, atelier=atelier
    )
    objet.atelier = atelier
    return objet


def _peut_ecrire(user: Any, atelier: Atelier) -> bool:
    return atelier.phase in PHASES_ACCOMPAGNEMENT and user.has_perm(ECRIRE, atelier)


class InterAteliersView(LoginRequiredMixin, PageLaPlusProcheMixin, ListView):
    """The atelier's entries, newest first, filtered by nature, period or author."""

    template_name = "ateliers/inter_atelier_list.html"
    context_object_name = "entrees"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[InterAtelier]:
        self.atelier = atelier_suivi(self.request, self.kwargs["pk"], InterAtelier)
        self.filtres = InterAtelierFiltreForm(
            self.request.GET or None, auteurs=auteurs_des_inter_ateliers(self.atelier)
        )
        criteres: dict[str, Any] = {}
        if self.filtres.is_valid():
            criteres = {k: v for k, v in self.filtres.cleaned_data.items() if v}
        self.filtres_actifs = bool(criteres)
        return inter_ateliers_filtres(self.atelier, **criteres)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        contexte = super().get_context_data(**kwargs)
        pieces = pieces_de(list(contexte["entrees"]))
        return {
            **contexte,
            "atelier": self.atelier,
            "lignes": [(e, len(pieces.get(e.pk, []))) for e in contexte["entrees"]],
            "filtres": self.filtres,
            "filtres_actifs": self.filtres_actifs,
            "peut_ecrire": _peut_ecrire(self.request.user, self.atelier),
            "breadcrumb_data": _fil(self.atelier),
        }


class InterAtelierView(LoginRequiredMixin, View):
    """One entry with its attachments, and what its author may do with it."""

    def get(self, request: HttpRequest, pk: int, entree: int) -> HttpResponse:
        objet = entree_de(request, pk, entree)
        modifiable = objet.atelier.phase in PHASES_ACCOMPAGNEMENT
        return render(
            request,
            "ateliers/inter_atelier_detail.html",
            {
                "entree": objet,
                "atelier": objet.atelier,
                "pieces": pieces_de([objet]).get(objet.pk, []),
                "peut_modifier": modifiable and request.user.has_perm(MODIFIER, objet),
                "breadcrumb_data": _fil(objet.atelier, str(objet.titre)),
            },
        )


class _FormulaireInterAtelierView(LoginRequiredMixin, View):
    """An entry's form: shown again with its errors (400) and what was typed, or run by its
    service, with a message, back to the entry."""

    titre = "Nouvelle entrée"
    entree: InterAtelier | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.charger(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def charger(self, request: HttpRequest, pk: int) -> None:
        self.atelier = atelier_suivi(request, pk, InterAtelier)
        if not _peut_ecrire(request.user, self.atelier):
            raise PermissionDenied("Seul le groupement titulaire écrit les inter-ateliers.")
        self.pieces: list = []

    def formulaire(self, data: Any = None, files: Any = None) -> InterAtelierForm:
        return InterAtelierForm(data, files, entree=self.entree, pieces_actuelles=self.pieces)

    def page(self, form: InterAtelierForm, status: int = 200) -> HttpResponse:
        retour = (
            reverse("ateliers:inter_atelier", args=[self.atelier.pk, self.entree.pk])
            if self.entree
            else reverse("ateliers:inter_ateliers", args=[self.atelier.pk])
        )
        return render(
            self.request,
            "ateliers/accompagnement_form.html",
            {
                "atelier": self.atelier,
                "form": form,
                "titre": self.titre,
                "vu": self.entree.statut if self.entree else "",
                "annuler": retour,
                "breadcrumb_data": _fil(self.atelier, self.titre),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(self.formulaire())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.formulaire(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            entree, message = self.enregistrer(form)
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.page(form, status=400)
        messages.success(request, message)
        return redirect("ateliers:inter_atelier", self.atelier.pk, entree.pk)

    def enregistrer(self, form: InterAtelierForm) -> tuple[InterAtelier, str]:
        entree = inter_atelier_ecrire(
            atelier=self.atelier,
            par=cast(Utilisateur, self.request.user),
            valeurs=form.valeurs(),
            pieces=form.cleaned_data["pieces"],
        )
        return entree, "L'entrée est enregistrée : les porteurs de l'atelier la lisent."


class InterAtelierEcrireView(_FormulaireInterAtelierView):
    """The groupement writes a new entry."""


class InterAtelierModifierView(_FormulaireInterAtelierView):
    """The author corrects their entry, adds or withdraws attachments."""

    titre = "Modifier l'entrée"

    def charger(self, request: HttpRequest, pk: int, entree: int) -> None:  # type: ignore[override]
        self.entree = entree_de(request, pk, entree)
        self.atelier = self.entree.atelier
        if not request.user.has_perm(MODIFIER, self.entree):
            raise PermissionDenied("Seul l'auteur de l'entrée la modifie.")
        self.pieces = pieces_de([self.entree]).get(self.entree.pk, [])

    def enregistrer(self, form: InterAtelierForm) -> tuple[InterAtelier, str]:
        assert self.entree is not None
        entree = inter_atelier_modifier(
            entree=self.entree,
            par=cast(Utilisateur, self.request.user),
            vu=self.request.POST.get("vu", ""),
            valeurs=form.valeurs(),
            pieces=form.cleaned_data["pieces"],
            pieces_retirees=form.cleaned_data.get("retirer", []),
        )
        return entree, "L'entrée est modifiée."


class InterAtelierRetirerView(ActionConfirmeeView):
    """The author withdraws their entry, confirmed."""

    template_name = "ateliers/inter_atelier_retirer.html"

    def action(self) -> dict[str, Any]:
        self.entree = entree_de(self.request, self.kwargs["pk"], self.kwargs["entree"])
        return {
            "nom": "retirer",
            "url": reverse(
                "ateliers:inter_atelier_retirer", args=[self.atelier.pk, self.entree.pk]
            ),
            "vu": self.entree.statut,
            **RETIRER,
        }

    def refus(self) -> HttpResponse | None:
        retirer = self.entree.retirer
        if not (can_proceed(retirer) and has_transition_perm(retirer, self.request.user)):
            raise PermissionDenied("Seul l'auteur de l'entrée la retire.")
        return None

    def contexte_page(self) -> dict[str, Any]:
        return {"entree": self.entree}

    def executer(self, form: Any) -> None:
        inter_atelier_retirer(
            entree=self.entree, par=cast(Utilisateur, self.request.user), vu=self.vu()
        )

    def message_succes(self) -> str:
        return "L'entrée est retirée : elle n'apparaît plus dans les inter-ateliers."

    def atelier_url(self) -> str:
        return reverse("ateliers:inter_ateliers", args=[self.atelier.pk])
