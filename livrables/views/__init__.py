"""The livrables' pages: the five of an atelier, and one livrable with its versions."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from ateliers.views.cadrage import fil
from livrables.selectors import livrables_de
from livrables.views.revue import LivrableView, atelier_des_livrables

__all__ = ["LivrableView", "LivrablesView"]


class LivrablesView(LoginRequiredMixin, View):
    """The five livrables of an atelier, with their state and planned date."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        atelier = atelier_des_livrables(request, pk)
        return render(
            request,
            "livrables/livrable_list.html",
            {
                "atelier": atelier,
                "livrables": livrables_de(atelier),
                "breadcrumb_data": fil(atelier, "Livrables"),
            },
        )
