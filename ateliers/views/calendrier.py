"""The atelier's calendar: its steps planned against what happened, drawn and tabulated."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from ateliers.models import PHASES_ACCOMPAGNEMENT, Atelier
from ateliers.selectors.cadrage import cadrage_de_l_atelier
from ateliers.selectors.calendrier import MOIS_MAX, MOIS_MIN, calendrier_de


class CalendrierView(LoginRequiredMixin, View):
    """Who follows the accompagnement reads it once the marché is notified; 404 otherwise."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        atelier = get_object_or_404(
            Atelier.objects.select_related("service_pilote", "groupement"), pk=pk
        )
        cadrage = cadrage_de_l_atelier(atelier)
        if cadrage is None or not request.user.has_perm("ateliers.voir_calendrier", atelier):
            raise Http404
        return render(
            request,
            "ateliers/calendrier.html",
            {
                "atelier": atelier,
                "calendrier": calendrier_de(atelier),
                "alertes": list(atelier.alertes.filter(resolue_le__isnull=True)),
                "mois_min": MOIS_MIN,
                "mois_max": MOIS_MAX,
                "peut_fixer": atelier.phase in PHASES_ACCOMPAGNEMENT
                and request.user.has_perm("ateliers.fixer_calendrier", cadrage),
                "breadcrumb_data": {
                    "links": [
                        {"url": reverse("portail:ateliers"), "title": "Ateliers"},
                        {"url": reverse("portail:atelier", args=[pk]), "title": atelier.reference},
                    ],
                    "current": "Calendrier",
                },
            },
        )
