"""The offers on the marché's page (for the panel and DGALN, never a groupement), recording an
offer received on PLACE, the pilot's decisions on its conformity and its audition."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django_fsm import can_proceed, has_transition_perm

from ateliers.services import ActionImpossible
from comptes.models import Utilisateur
from marches.forms.offres import (
    AuditionForm,
    DecompositionFormSet,
    OffreForm,
    decomposition_initiale,
)
from marches.models import PILOTER_MARCHE, Consultation, MarcheSubsequent, Offre
from marches.selectors.consultation import (
    consultation_actuelle,
    offres_du_marche,
    renoncements_du_marche,
    temps_restant,
)
from marches.services import (
    audition_enregistrer,
    offre_declarer_inacceptable,
    offre_declarer_irreguliere,
    offre_demander_regularisation,
    offre_enregistrer,
    offre_regulariser,
)
from marches.services.offres import en_euros
from marches.views._commun import MarcheActionView, fil_ariane, marche_de

S = MarcheSubsequent.Statut
ACTIONS_OFFRE = {
    t.name: t.custom for t in Offre._meta.get_field("statut").get_all_transitions(Offre)
}
# The pilot's decisions on an offer during the analysis, in the order the table offers them.
DECISIONS = (
    "demander_regularisation",
    "regulariser",
    "declarer_irreguliere",
    "declarer_inacceptable",
)


def url_decision(marche: MarcheSubsequent, offre: Offre, transition: str) -> str:
    return reverse(f"marches:offre_{transition}", args=[marche.pk, offre.pk])


def actions_de_l_offre(offre: Offre, marche: MarcheSubsequent, user: Any) -> list[dict[str, Any]]:
    """The decisions this user may take on the offer now (the pilot, during the analysis)."""
    if marche.statut != S.EN_ANALYSE:
        return []
    actions = []
    for nom in DECISIONS:
        methode = getattr(offre, nom)
        if can_proceed(methode) and has_transition_perm(methode, user):
            actions.append(
                {"nom": nom, "url": url_decision(marche, offre, nom), **ACTIONS_OFFRE[nom]}
            )
    return actions


def offres_contexte(marche: MarcheSubsequent, user: Any) -> dict[str, Any]:
    """The consultation's part of the marché's page: its round, deadline and questions; for the
    panel and DGALN its offers with their pieces and the pilot's decisions; for the pilot and
    DGALN the teams that declined. A fixed number of queries whatever the number of offers."""
    consultation = consultation_actuelle(marche)
    if consultation is None:
        return {"consultation_marche": None}
    voir_offres = user.has_perm("marches.voir_offres", marche)
    piloter = user.has_perm(PILOTER_MARCHE, marche)
    offres = offres_du_marche(marche) if voir_offres else []
    lignes = []
    for offre in offres:
        offre.consultation.marche = marche  # one marché, already loaded: no query per offer
        lignes.append(
            {
                "offre": offre,
                "actions": actions_de_l_offre(offre, marche, user),
                "peut_auditionner": piloter and marche.statut == S.EN_ANALYSE and not offre.exclue,
                "audition": getattr(offre, "audition", None),
            }
        )
    consultes = list(consultation.consultes.order_by("nom")) if voir_offres else []
    ont_repondu = {o.groupement_id for o in offres if o.consultation_id == consultation.pk}
    return {
        "consultation_marche": consultation,
        "consultation_temps_restant": (
            temps_restant(consultation.date_limite)
            if consultation.close_le is None and marche.statut == S.EN_CONSULTATION
            else ""
        ),
        "consultation_consultes": consultes,
        "offres_visibles": voir_offres,
        "offres_lignes": lignes,
        "peut_enregistrer_offre": (
            piloter
            and marche.statut in (S.EN_CONSULTATION, S.EN_ANALYSE)
            and any(g.pk not in ont_repondu for g in consultes)
        ),
        "renoncements": (
            renoncements_du_marche(marche)
            if user.has_perm("marches.voir_renoncements", marche)
            else None
        ),
    }


def _par(request: HttpRequest) -> Utilisateur:
    return cast(Utilisateur, request.user)  # LoginRequiredMixin: never anonymous


class OffreEnregistrerView(LoginRequiredMixin, View):
    """The pilot records an offer received on PLACE for the current round."""

    template_name = "marches/offre_enregistrer.html"

    def _preparer(self, request: HttpRequest, pk: int) -> HttpResponse | None:
        self.marche = marche_de(request, pk)
        if not request.user.has_perm(PILOTER_MARCHE, self.marche):
            raise PermissionDenied("Seul le service pilote enregistre les offres.")
        consultation = consultation_actuelle(self.marche)
        if consultation is None or self.marche.statut not in (S.EN_CONSULTATION, S.EN_ANALYSE):
            messages.error(
                request,
                f"Le marché est « {self.marche.get_statut_display()} » : les offres "
                "s'enregistrent pendant la consultation et l'analyse.",
            )
            return redirect(reverse("marches:marche", args=[self.marche.pk]))
        self.consultation: Consultation = consultation
        self.groupements = self.consultation.consultes.exclude(
            offres__consultation=self.consultation
        ).order_by("nom")
        return None

    def _forms(self, data: Any = None, files: Any = None) -> OffreForm:
        decomposition = DecompositionFormSet(
            data, prefix="phases", initial=None if data else decomposition_initiale()
        )
        return OffreForm(
            data,
            files,
            groupements=self.groupements,
            debut=self.consultation.publiee_le,
            decomposition=decomposition,
        )

    def _page(self, form: OffreForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "marche": self.marche,
                "consultation": self.consultation,
                "form": form,
                "decomposition": form.decomposition,
                "breadcrumb_data": fil_ariane(self.marche, "Enregistrer une offre"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, marche: int) -> HttpResponse:
        return self._preparer(request, marche) or self._page(self._forms())

    def post(self, request: HttpRequest, marche: int) -> HttpResponse:
        refus = self._preparer(request, marche)
        if refus is not None:
            return refus
        form = self._forms(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(form, status=400)
        donnees = form.cleaned_data
        try:
            offre = offre_enregistrer(
                consultation=self.consultation,
                groupement=donnees["groupement"],
                recue_le=donnees["recue_le"],
                montant_ht=donnees["montant_ht"],
                montant_tva=donnees["montant_tva"],
                decomposition=donnees["decomposition"],
                note_methodologique=donnees["note_methodologique"],
                presentation_competences=donnees["presentation_competences"],
                proposition_financiere=donnees["proposition_financiere"],
                par=_par(request),
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self._page(form, status=400)
        if offre.statut == Offre.Statut.HORS_DELAI:
            messages.warning(
                request,
                f"Offre de {offre.groupement.nom} enregistrée hors délai : reçue après la date "
                "limite, elle est écartée de l'analyse.",
            )
        else:
            messages.success(
                request,
                f"Offre de {offre.groupement.nom} enregistrée : {en_euros(offre.montant_ht)} HT, "
                f"{en_euros(offre.montant_ttc)} TTC.",
            )
        return redirect(reverse("marches:marche", args=[self.marche.pk]) + "#offres")


class OffreActionView(MarcheActionView):
    """One decision of the pilot on an offer, confirmed on its page with its consequence (and
    its motif when it excludes the offer or asks for a regularisation)."""

    template_name = "marches/offre_action.html"
    transition = ""  # given by the URL: one of DECISIONS
    offre: Offre

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            marche = marche_de(request, kwargs["marche"])
            self.offre = get_object_or_404(
                Offre.objects.select_related("groupement", "consultation"),
                pk=kwargs["offre"],
                consultation__marche=marche,
            )
            self.offre.consultation.marche = marche
        return super().dispatch(request, *args, **kwargs)

    def action(self) -> dict[str, Any]:
        if self.transition not in DECISIONS:
            raise Http404
        return {
            "nom": self.transition,
            "url": url_decision(self.marche, self.offre, self.transition),
            "vu": self.offre.statut,
            **ACTIONS_OFFRE[self.transition],
        }

    def refus(self) -> HttpResponse | None:
        methode = getattr(self.offre, self.transition)
        if not self.request.user.has_perm(PILOTER_MARCHE, self.marche):
            raise PermissionDenied("Seul le service pilote examine la conformité des offres.")
        if self.marche.statut != S.EN_ANALYSE or not can_proceed(methode):
            messages.error(
                self.request,
                f"Cette action n'est pas possible : l'offre est « "
                f"{self.offre.get_statut_display()} » et le marché « "
                f"{self.marche.get_statut_display()} ».",
            )
            return redirect(self.atelier_url())
        if not has_transition_perm(methode, self.request.user):
            raise PermissionDenied("Vous n'avez pas le droit de faire cette action.")
        return None

    def contexte_page(self) -> dict[str, Any]:
        return {"marche": self.marche, "offre": self.offre}

    def executer(self, form: Any) -> None:
        motif = form.cleaned_data.get("motif", "")
        offre, par, vu = self.offre, self.par(), self.vu()
        if self.transition == "declarer_irreguliere":
            offre_declarer_irreguliere(offre=offre, par=par, vu=vu, motif=motif)
        elif self.transition == "declarer_inacceptable":
            offre_declarer_inacceptable(offre=offre, par=par, vu=vu, motif=motif)
        elif self.transition == "demander_regularisation":
            offre_demander_regularisation(offre=offre, par=par, vu=vu, motif=motif)
        else:
            offre_regulariser(offre=offre, par=par, vu=vu, commentaire=motif)

    def message_succes(self) -> str:
        suite = {
            "declarer_irreguliere": "elle est écartée du classement.",
            "declarer_inacceptable": "elle est écartée du classement.",
            "demander_regularisation": "le groupement en est prévenu par courriel.",
            "regulariser": "elle est analysée comme les autres.",
        }[self.transition]
        return (
            f"{ACTIONS_OFFRE[self.transition]['journal']} ({self.offre.groupement.nom}) : {suite}"
        )

    def atelier_url(self) -> str:
        return reverse("marches:marche", args=[self.marche.pk]) + "#offres"


class AuditionView(LoginRequiredMixin, View):
    """The pilot records the hearing of a groupement about its offer, during the analysis."""

    template_name = "marches/offre_audition.html"

    def _preparer(self, request: HttpRequest, marche_pk: int, pk: int) -> HttpResponse | None:
        self.marche = marche_de(request, marche_pk)
        self.offre = get_object_or_404(
            Offre.objects.select_related("groupement", "consultation"),
            pk=pk,
            consultation__marche=self.marche,
        )
        if not request.user.has_perm(PILOTER_MARCHE, self.marche):
            raise PermissionDenied("Seul le service pilote enregistre les auditions.")
        if self.marche.statut != S.EN_ANALYSE or self.offre.exclue:
            messages.error(
                request,
                "Une audition s'enregistre pendant l'analyse, pour une offre qui n'est pas "
                "écartée.",
            )
            return redirect(reverse("marches:marche", args=[self.marche.pk]) + "#offres")
        self.audition = getattr(self.offre, "audition", None)
        return None

    def _form(self, data: Any = None) -> AuditionForm:
        initial = {}
        if self.audition is not None:
            date = timezone.localtime(self.audition.date)
            initial = {
                "tenue_date": date.date(),
                "tenue_heure": date.time().replace(second=0, microsecond=0),
                "participants": self.audition.participants,
                "compte_rendu": self.audition.compte_rendu,
            }
        return AuditionForm(data, initial=initial, debut=self.offre.consultation.publiee_le)

    def _page(self, form: AuditionForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "marche": self.marche,
                "offre": self.offre,
                "audition": self.audition,
                "form": form,
                "breadcrumb_data": fil_ariane(
                    self.marche, f"Audition de {self.offre.groupement.nom}"
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, marche: int, pk: int) -> HttpResponse:
        return self._preparer(request, marche, pk) or self._page(self._form())

    def post(self, request: HttpRequest, marche: int, pk: int) -> HttpResponse:
        refus = self._preparer(request, marche, pk)
        if refus is not None:
            return refus
        form = self._form(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        try:
            audition_enregistrer(
                offre=self.offre,
                date=form.cleaned_data["date"],
                participants=form.cleaned_data["participants"],
                compte_rendu=form.cleaned_data["compte_rendu"],
                par=_par(request),
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self._page(form, status=400)
        messages.success(
            request,
            f"Audition de {self.offre.groupement.nom} enregistrée : elle figurera au rapport.",
        )
        return redirect(reverse("marches:marche", args=[self.marche.pk]) + "#offres")
