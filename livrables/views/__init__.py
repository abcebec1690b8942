"""The livrables' pages: the five of an atelier, and one livrable with its versions."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from ateliers.models import Cadrage
from ateliers.views.cadrage import atelier_suivi, fil
from livrables.models import Livrable, TypeLivrable
from livrables.selectors import livrable_de, livrables_de, versions_de


def _type(type: str) -> str:
    if type not in TypeLivrable.values:
        raise Http404
    return type


class LivrablesView(LoginRequiredMixin, View):
    """The five livrables of an atelier, with their state and planned date."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        atelier = atelier_suivi(request, pk, Livrable)
        return render(
            request,
            "livrables/livrable_list.html",
            {
                "atelier": atelier,
                "livrables": livrables_de(atelier),
                "breadcrumb_data": fil(atelier, "Livrables"),
            },
        )


class LivrableView(LoginRequiredMixin, View):
    """One livrable: its state and its versions, newest first, with their comments and avis."""

    def get(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        atelier = atelier_suivi(request, pk, Livrable)
        livrable = livrable_de(atelier, _type(type))
        versions = list(versions_de(livrable)) if livrable.pk else []
        return render(
            request,
            "livrables/livrable_detail.html",
            {
                "atelier": atelier,
                "livrable": livrable,
                "versions": versions,
                "cadrage": Cadrage.objects.filter(atelier=atelier).first(),
                "breadcrumb_data": fil(
                    atelier,
                    livrable.get_type_display(),
                    (reverse("livrables:livrables", args=[atelier.pk]), "Livrables"),
                ),
            },
        )
