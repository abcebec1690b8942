"""The CCTP's pages: one part at a time, saved automatically, merged on a conflict; the
publication of the consultation; the rectificatif; the CCTP's block on the marché's page."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_fsm import can_proceed

from ateliers.services import ActionImpossible
from comptes.models import Utilisateur
from marches.forms.cctp import PartieCctpForm, PublicationForm, RectificatifForm
from marches.models import PARTIES, PARTIES_PAR_SLUG, MarcheSubsequent, PartieCctp
from marches.selectors import (
    etats_du_cctp,
    historique_partie_cctp,
    lire_partie,
    parties_du_cctp,
    versions_du_cctp,
)
from marches.services import ConflitCctp, cctp_partie_enregistrer, cctp_rectifier, marche_publier
from marches.views._commun import MarcheActionView, fil_ariane, marche_de

REDIGER = "marches.rediger_cctp"


def cctp_contexte(marche: MarcheSubsequent, user: Any) -> dict[str, Any]:
    """The CCTP's block of the marché's page: its parts' completeness, its versions and
    their PDFs, and what this user may do with it (write, publish, rectify)."""
    etats = etats_du_cctp(parties_du_cctp(marche))
    complet = all(not e["manquants"] for e in etats)
    versions = list(versions_du_cctp(marche))
    return {
        "cctp": {
            "etats": etats,
            "complet": complet,
            "manquants": sum(len(e["manquants"]) for e in etats),
            "peut_rediger": user.has_perm(REDIGER, marche),
            "peut_publier": complet
            and can_proceed(marche.publier)
            and user.has_perm("marches.piloter_marche", marche),
            "peut_rectifier": bool(versions) and user.has_perm("marches.rectifier_cctp", marche),
            "versions": versions,
            "premiere": reverse("marches:cctp_partie", args=[marche.pk, PARTIES[0].slug]),
        }
    }


def _initial(partie: PartieCctp) -> dict[str, Any]:
    return {**partie.contenu, "version": partie.version}


class CctpPartieView(LoginRequiredMixin, View):
    """One part of the CCTP: read by whoever sees the marché, written by the pilot and the
    porteurs while it is prepared (by the pilot alone for a rectificatif). A save by someone
    else in between is shown side by side with what the user typed."""

    template_name = "marches/cctp_partie.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "htmx", False) and not request.user.is_authenticated:
            return render(request, "marches/_cctp_statut.html", {"etat": "session"})
        if request.user.is_authenticated:
            self.marche = marche_de(request, kwargs["marche"])
            if kwargs["partie"] not in PARTIES_PAR_SLUG:
                raise Http404
            self.parties = parties_du_cctp(self.marche)
            self.partie = next(p for p in self.parties if p.slug == kwargs["partie"])
            self.peut_rediger = request.user.has_perm(REDIGER, self.marche)
        return super().dispatch(request, *args, **kwargs)

    def _contexte_menu(self, parties: list[PartieCctp]) -> dict[str, Any]:
        return {
            "marche": self.marche,
            "etats": etats_du_cctp(parties),
            "page_cctp": self.partie.slug,
        }

    def _page(
        self, form: PartieCctpForm, *, status: int = 200, conflit: PartieCctp | None = None
    ) -> HttpResponse:
        contenu = conflit or self.partie
        manquants = contenu.manquants()
        return render(
            self.request,
            "marches/cctp_conflit.html" if conflit else self.template_name,
            {
                **self._contexte_menu(self.parties),
                "atelier": self.marche.atelier,
                "partie": contenu,
                "form": form,
                "peut_rediger": self.peut_rediger,
                "manquants": manquants,
                "documents": self.partie.contenu.get("documents", [])
                if self.partie.partie.documents
                else [],
                "historique": historique_partie_cctp(self.partie),
                "enregistre": lire_partie(conflit) if conflit else None,
                "breadcrumb_data": fil_ariane(self.marche, f"CCTP — {self.partie.partie.titre}"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PartieCctpForm(partie=self.partie.partie, initial=_initial(self.partie))
        if not self.peut_rediger:
            form.lecture_seule()
        return self._page(form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.peut_rediger:
            if getattr(request, "htmx", False):
                return self._statut("fermee")
            raise PermissionDenied("Vous ne pouvez pas modifier ce CCTP.")
        form = PartieCctpForm(request.POST, partie=self.partie.partie)
        if not form.is_valid():
            if getattr(request, "htmx", False):
                return self._statut("invalide")
            return self._page(form, status=400)
        try:
            partie = cctp_partie_enregistrer(
                partie=self.partie,
                valeurs=form.valeurs(),
                version_lue=form.cleaned_data["version"],
                par=cast(Utilisateur, request.user),
            )
        except ConflitCctp as conflit:
            if getattr(request, "htmx", False):
                return self._statut("conflit")
            fusion = PartieCctpForm(
                partie=self.partie.partie,
                initial={**form.valeurs(), "version": conflit.actuelle.version},
            )
            return self._page(fusion, status=409, conflit=conflit.actuelle)
        if getattr(request, "htmx", False):
            return self._statut("enregistre", partie=partie)
        messages.success(request, f"« {self.partie.partie.titre} » est enregistrée.")
        return redirect(reverse("marches:cctp_partie", args=[self.marche.pk, self.partie.slug]))

    def _statut(self, etat: str, partie: PartieCctp | None = None) -> HttpResponse:
        contexte: dict[str, Any] = {"etat": etat, "partie": partie or self.partie}
        if etat == "enregistre":
            # The side menu comes back with the status: each part's completeness stays true.
            contexte.update(self._contexte_menu(parties_du_cctp(self.marche)), oob=True)
        return render(self.request, "marches/_cctp_statut.html", contexte)


class PublierView(MarcheActionView):
    """Record the consultation published on PLACE: the pilot, once the CCTP is complete."""

    transition = "publier"
    template_name = "marches/cctp_publier.html"

    def refus(self) -> HttpResponse | None:
        refus = super().refus()
        if refus is None and any(p.manquants() for p in parties_du_cctp(self.marche)):
            messages.error(
                self.request, "Le CCTP n'est pas complet : complétez-le avant de le publier."
            )
            return redirect(self.atelier_url())
        return refus

    def contexte_page(self) -> dict[str, Any]:
        return {"marche": self.marche}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refus() or self.page(PublicationForm(marche=self.marche))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refus = self.refus()
        if refus:
            return refus
        form = PublicationForm(request.POST, marche=self.marche)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            self.executer(form)
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.page(form, status=400)
        messages.success(request, self.message_succes())
        return redirect(self.atelier_url())

    def executer(self, form: Any) -> None:
        donnees = form.cleaned_data
        self.consultation = marche_publier(
            marche=self.marche,
            par=self.par(),
            vu=self.vu(),
            reference_place=donnees["reference_place"],
            publiee_le=donnees["publiee_le"],
            date_limite=donnees["date_limite"],
            consultes=list(donnees["consultes"]),
        )

    def message_succes(self) -> str:
        version = self.consultation.versions_cctp.get()
        return (
            f"Consultation {self.consultation.reference_place} publiée : le CCTP est figé en "
            f"version {version.numero} et les groupements consultés sont prévenus par courriel."
        )


class RectifierView(LoginRequiredMixin, View):
    """Publish the corrected CCTP as a new version of the consultation: the pilot, before the
    deadline."""

    template_name = "marches/cctp_rectifier.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.marche = marche_de(request, kwargs["marche"])
            if not request.user.has_perm("marches.rectifier_cctp", self.marche):
                if request.user.has_perm("marches.piloter_marche", self.marche):
                    messages.error(
                        request,
                        "Le CCTP se rectifie pendant la consultation, avant la date limite.",
                    )
                    return redirect(reverse("marches:marche", args=[self.marche.pk]))
                raise PermissionDenied("Seul le service pilote publie un rectificatif.")
            derniere = versions_du_cctp(self.marche).first()
            if derniere is None:
                messages.error(request, "Aucune version du CCTP n'est encore publiée.")
                return redirect(reverse("marches:marche", args=[self.marche.pk]))
            self.derniere = derniere
        return super().dispatch(request, *args, **kwargs)

    def _page(self, form: RectificatifForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "marche": self.marche,
                "atelier": self.marche.atelier,
                "form": form,
                "derniere": self.derniere,
                "etats": etats_du_cctp(parties_du_cctp(self.marche)),
                "breadcrumb_data": fil_ariane(self.marche, "Rectifier le CCTP"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(RectificatifForm(initial={"vu": self.derniere.numero}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RectificatifForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        try:
            version = cctp_rectifier(
                marche=self.marche,
                par=cast(Utilisateur, request.user),
                vu=form.cleaned_data["vu"],
                objet=form.cleaned_data["objet"],
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self._page(form, status=400)
        messages.success(
            request,
            f"Rectificatif publié : le CCTP est en version {version.numero}, envoyée à chaque "
            "groupement consulté.",
        )
        return redirect(reverse("marches:marche", args=[self.marche.pk]))
