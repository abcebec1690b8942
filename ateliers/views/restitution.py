"""The restitution's page and its form."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from ateliers.forms.restitution import RestitutionForm
from ateliers.models import PHASES_ACCOMPAGNEMENT, Restitution
from ateliers.selectors.restitution import restitution_de
from ateliers.services import ActionImpossible
from ateliers.services.restitution import MODIFIER, restitution_enregistrer
from ateliers.views.cadrage import atelier_suivi, fil
from comptes.models import Utilisateur

TITRE = "Restitution"


def _restitution(request: HttpRequest, pk: int) -> Restitution:
    return restitution_de(atelier_suivi(request, pk, Restitution))


def _peut_modifier(user: Any, restitution: Restitution) -> bool:
    return restitution.atelier.phase in PHASES_ACCOMPAGNEMENT and user.has_perm(
        MODIFIER, restitution
    )


class RestitutionView(LoginRequiredMixin, View):
    """The restitution as everyone who follows the atelier reads it, and what the clôture
    still waits for."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        restitution = _restitution(request, pk)
        return render(
            request,
            "ateliers/restitution.html",
            {
                "restitution": restitution,
                "atelier": restitution.atelier,
                "peut_modifier": _peut_modifier(request.user, restitution),
                "breadcrumb_data": fil(restitution.atelier, TITRE),
            },
        )


class RestitutionModifierView(LoginRequiredMixin, View):
    """Record the restitution: shown again with its errors (400) and what was typed, or saved,
    with a message, back to its page."""

    titre = "Enregistrer la restitution"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.restitution = _restitution(request, kwargs["pk"])
            if not _peut_modifier(request.user, self.restitution):
                raise PermissionDenied("Seuls le service pilote et le groupement la modifient.")
        return super().dispatch(request, *args, **kwargs)

    def page(self, form: RestitutionForm, status: int = 200) -> HttpResponse:
        atelier = self.restitution.atelier
        return render(
            self.request,
            "ateliers/accompagnement_form.html",
            {
                "atelier": atelier,
                "form": form,
                "titre": self.titre,
                "vu": "",
                "annuler": reverse("ateliers:restitution", args=[atelier.pk]),
                "breadcrumb_data": fil(
                    atelier, self.titre, (reverse("ateliers:restitution", args=[atelier.pk]), TITRE)
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(RestitutionForm(restitution=self.restitution))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = RestitutionForm(request.POST, request.FILES, restitution=self.restitution)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            restitution_enregistrer(
                atelier=self.restitution.atelier,
                par=cast(Utilisateur, request.user),
                valeurs=form.valeurs(),
                presentation=form.cleaned_data.get("presentation"),
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.page(form, status=400)
        messages.success(request, "La restitution est enregistrée.")
        return redirect("ateliers:restitution", pk)
