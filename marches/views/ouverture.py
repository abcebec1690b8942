"""Launching the marché from the atelier's page, classing it without follow-up, abandoning the
atelier during its marché."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ateliers.models import PILOTER, Phase
from ateliers.services import ACTIONS_PHASE, etape_de
from ateliers.views import ActionConfirmeeView
from comptes.models import Utilisateur
from marches.models import MarcheSubsequent
from marches.services import (
    atelier_abandonner_en_marche,
    marche_classer_sans_suite,
    marche_ouvrir,
)
from marches.views._commun import MarcheActionView


def peut_ouvrir(atelier, user) -> bool:
    """May this user open a marché on this atelier now: its pilot, once the atelier is
    eligible, or in its marché phase when every earlier marché was classed without follow-up."""
    if not user.has_perm(PILOTER, atelier):
        return False
    if atelier.phase == Phase.ELIGIBLE:
        return True
    return atelier.phase == Phase.MARCHE and not atelier.marches.vivants().exists()


def action_ouvrir(atelier) -> dict[str, Any]:
    return {
        "nom": "lancer_marche",
        "url": reverse("marches:ouvrir", args=[atelier.pk]),
        "vu": atelier.phase,
        **ACTIONS_PHASE["lancer_marche"],
    }


def action_abandonner(atelier) -> dict[str, Any]:
    return {
        "nom": "abandonner",
        "url": reverse("marches:abandonner", args=[atelier.pk]),
        "vu": atelier.phase,
        **ACTIONS_PHASE["abandonner"],
    }


class OuvrirView(ActionConfirmeeView):
    """Launch the atelier's marché subséquent: its pilot, from the atelier's page."""

    def action(self) -> dict[str, Any]:
        return action_ouvrir(self.atelier)

    def refus(self) -> HttpResponse | None:
        if not self.request.user.has_perm(PILOTER, self.atelier):
            raise PermissionDenied("Seul le service pilote lance le marché subséquent.")
        if not peut_ouvrir(self.atelier, self.request.user):
            messages.error(
                self.request,
                "Cette action n'est pas possible : l'atelier est à l'étape "
                f"« {self.atelier.get_phase_display()} ».",
            )
            return redirect(self.atelier_url())
        return None

    def executer(self, form: Any) -> None:
        self.marche = marche_ouvrir(
            atelier=self.atelier, par=cast(Utilisateur, self.request.user), vu=self.vu()
        )

    def message_succes(self) -> str:
        return (
            f"Marché subséquent {self.marche.reference} ouvert sous l'accord-cadre "
            f"{self.marche.accord_cadre.reference} : rédigez le CCTP avec les porteurs."
        )

    def post(self, request, *args, **kwargs):
        reponse = super().post(request, *args, **kwargs)
        if getattr(self, "marche", None) is not None:
            return redirect(reverse("marches:marche", args=[self.marche.pk]))
        return reponse


class AbandonnerView(ActionConfirmeeView):
    """Abandon an atelier during its marché phase: the marché closes with it."""

    def action(self) -> dict[str, Any]:
        if etape_de(self.atelier, "abandonner") != MarcheSubsequent._meta.label:
            raise Http404
        return action_abandonner(self.atelier)

    def executer(self, form: Any) -> None:
        atelier_abandonner_en_marche(
            atelier=self.atelier,
            par=cast(Utilisateur, self.request.user),
            vu=self.vu(),
            motif=form.cleaned_data["motif"],
        )

    def message_succes(self) -> str:
        return "Atelier abandonné, son marché clos avec lui. Le motif est conservé au journal."


class ClasserSansSuiteView(MarcheActionView):
    transition = "classer_sans_suite"

    def executer(self, form: Any) -> None:
        marche_classer_sans_suite(
            marche=self.marche, par=self.par(), vu=self.vu(), motif=form.cleaned_data["motif"]
        )

    def message_succes(self) -> str:
        return (
            "Marché classé sans suite ; le motif est conservé. Vous pouvez ouvrir un nouveau "
            "marché ou abandonner l'atelier depuis sa page."
        )
