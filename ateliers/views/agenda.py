"""Calendar feeds to subscribe to: the secret address of each user, its page and its renewal,
and the feeds themselves, read by calendar clients that cannot log in."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from ateliers.models import PHASES_ACCOMPAGNEMENT, Atelier, JetonAgenda
from ateliers.selectors import q_suit_accompagnement
from ateliers.selectors.agenda import flux, flux_atelier, sessions_suivies
from ateliers.services.agenda import jeton_agenda, jeton_agenda_renouveler
from comptes.liens import lien_absolu
from comptes.models import Utilisateur

NOMBRE_D_ATELIERS = 50


class AgendaView(LoginRequiredMixin, View):
    """The user's feeds: all their sessions, and each atelier they follow."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = cast(Utilisateur, request.user)
        jeton = jeton_agenda(utilisateur=user).jeton
        q = q_suit_accompagnement(user)
        ateliers = (
            list(
                Atelier.objects.filter(q, phase__in=PHASES_ACCOMPAGNEMENT)
                .distinct()
                .order_by("intitule", "pk")[:NOMBRE_D_ATELIERS]
            )
            if q is not None
            else []
        )
        return render(
            request,
            "ateliers/agenda.html",
            {
                "mes_sessions": lien_absolu("ateliers:flux_sessions", jeton),
                "ateliers": [
                    (a, lien_absolu("ateliers:flux_atelier", jeton, a.pk)) for a in ateliers
                ],
                "plafond": NOMBRE_D_ATELIERS,
                "breadcrumb_data": {"links": [], "current": "Mes agendas"},
            },
        )


class AgendaRenouvelerView(LoginRequiredMixin, View):
    """A new secret address, confirmed: the calendars subscribed to the old one stop."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "ateliers/agenda_renouveler.html",
            {
                "breadcrumb_data": {
                    "links": [{"url": reverse("ateliers:agenda"), "title": "Mes agendas"}],
                    "current": "Renouveler l'adresse",
                }
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        jeton_agenda_renouveler(par=cast(Utilisateur, request.user))
        messages.success(
            request,
            "Adresse renouvelée : l'ancienne ne répond plus. Abonnez vos agendas à la nouvelle.",
        )
        return redirect("ateliers:agenda")


def _titulaire(jeton: str) -> Utilisateur:
    """The active user whose secret address this is; 404 for any other (an old one too)."""
    trouve = get_object_or_404(
        JetonAgenda.objects.select_related("utilisateur"), jeton=jeton, utilisateur__is_active=True
    )
    return trouve.utilisateur


def _calendrier(contenu: bytes, nom: str) -> HttpResponse:
    reponse = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = f'inline; filename="{nom}.ics"'
    reponse["Cache-Control"] = "private, max-age=900"
    return reponse


class FluxSessionsView(View):
    def get(self, request: HttpRequest, jeton: str) -> HttpResponse:
        user = _titulaire(jeton)
        return _calendrier(flux(sessions_suivies(user), "Mes sessions — Atelier Local"), "sessions")


class FluxAtelierView(View):
    def get(self, request: HttpRequest, jeton: str, pk: int) -> HttpResponse:
        user = _titulaire(jeton)
        atelier = get_object_or_404(Atelier, pk=pk)
        if not user.has_perm("ateliers.voir_calendrier", atelier):
            raise Http404
        return _calendrier(flux_atelier(atelier), f"atelier-{atelier.pk}")
