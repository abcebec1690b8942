"""The DECP export: the données essentielles of one notified marché, of every notified
marché the user may see (JSON and CSV), and the page that says which are ready and what the
others lack."""

import json
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from marches.decp import ExportDecp, csv_decp, export_decp, marches_pour_decp, verifier_decp
from marches.models import MarcheSubsequent
from marches.selectors import marches_decp
from marches.views._commun import fil_ariane, marche_de


def _json(contenu: dict, nom: str) -> HttpResponse:
    reponse = HttpResponse(
        json.dumps(contenu, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


def _export_de(request: HttpRequest) -> ExportDecp:
    """Every notified marché this user may publish: DGALN all, a pilot service its own."""
    return export_decp(marches_decp(request.user))


class DecpMarcheView(LoginRequiredMixin, View):
    """The DECP JSON of one notified marché, or the page that says what it lacks (422)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        marche = marche_de(request, kwargs["pk"])
        if marche.statut != MarcheSubsequent.Statut.NOTIFIE or not request.user.has_perm(
            "marches.voir_decp", marche
        ):
            raise Http404("Pas de données essentielles pour ce marché.")
        export = export_decp(MarcheSubsequent.objects.filter(pk=marche.pk))
        if export.refuses:
            return render(
                request,
                "marches/finances_decp.html",
                {
                    "export": export,
                    "marche": marche,
                    "breadcrumb_data": fil_ariane(marche, "Données essentielles (DECP)"),
                },
                status=422,
            )
        return _json(export.document(), f"decp-{marche.reference}.json")


class DecpTousView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The DECP JSON of every notified marché the user may publish that validates."""

    permission_required = "marches.exporter_decp"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _json(
            _export_de(request).document(), f"decp-{timezone.localdate().isoformat()}.json"
        )


class DecpCsvView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The same marchés as CSV, one row each."""

    permission_required = "marches.exporter_decp"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reponse = HttpResponse(
            "\ufeff" + csv_decp(_export_de(request)), content_type="text/csv; charset=utf-8"
        )
        reponse["Content-Disposition"] = (
            f'attachment; filename="decp-{timezone.localdate().isoformat()}.csv"'
        )
        return reponse


class DecpPageView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """Which notified marchés are ready for publication, and what the others lack, 25 a page
    (latest notified first): only the page's marchés are checked against the schema, the
    downloads check them all."""

    permission_required = "marches.exporter_decp"
    template_name = "marches/finances_decp.html"
    context_object_name = "marches"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[MarcheSubsequent]:
        return marches_pour_decp(marches_decp(self.request.user)).order_by("-notifie_le", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            export=verifier_decp(context["marches"]),
            marche=None,
            breadcrumb_data={
                "links": [{"url": reverse("marches:liste"), "title": "Marchés subséquents"}],
                "current": "Données essentielles (DECP)",
            },
        )
        return context
