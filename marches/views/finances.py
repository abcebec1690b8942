"""The money of a notified marché on its page and the pilot's forms (execution and
échéancier, credits of a year, a payment, a milestone reached), and DGALN's national totals.

Each form page is its own confirmation: it says what saving will set off before the button."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from ateliers.services import ActionImpossible
from comptes.models import Utilisateur
from comptes.selectors import a_le_droit
from marches.forms import (
    CreditForm,
    EcheancierFormSet,
    ExecutionForm,
    FinancesFiltreForm,
    PaiementForm,
)
from marches.forms.finances import ECHEANCIER_PROPOSE, EcheancierFormSetBase
from marches.models import Execution, MarcheSubsequent, Paiement, Tranche
from marches.selectors import (
    annees_de_notification,
    marches_visibles,
    montant_propose,
    situation_financiere,
    totaux_nationaux,
)
from marches.services import (
    credit_enregistrer,
    execution_modifier,
    execution_ouvrir,
    paiement_enregistrer,
    tranche_liberer,
)
from marches.views._commun import fil_ariane, marche_de

GERER = "marches.gerer_finances"
LIBERER = Tranche._meta.get_field("statut").get_all_transitions(Tranche)
ACTION_LIBERER = next(t.custom for t in LIBERER if t.name == "rendre_exigible")


def finances_contexte(marche: MarcheSubsequent, user: Any) -> dict[str, Any]:
    """What the marché's page shows of its money, for `marches/_finances.html`: the detail to
    the pilot and DGALN, the totals to the porteurs, nothing to anyone else."""
    if marche.statut != MarcheSubsequent.Statut.NOTIFIE or not user.has_perm(
        "marches.voir_totaux_finances", marche
    ):
        return {"finances": None}
    return {
        "finances": {
            "situation": situation_financiere(marche),
            "detail": user.has_perm("marches.voir_finances", marche),
            "gerer": user.has_perm(GERER, marche),
            "decp": user.has_perm("marches.voir_decp", marche),
            # Without an object: Django's own backend would read the user's model permissions.
            "exporter": a_le_droit(user, "marches.exporter_decp"),
            "nationales": a_le_droit(user, "marches.voir_finances_nationales"),
        }
    }


def _echeancier(data: Any = None, initial: Any = None) -> EcheancierFormSetBase:
    return cast(EcheancierFormSetBase, EcheancierFormSet(data, initial=initial, prefix="tranches"))


def _par(request: HttpRequest) -> Utilisateur:
    return cast(Utilisateur, request.user)  # LoginRequiredMixin: never anonymous


class _FinancesMarcheView(LoginRequiredMixin, View):
    """A pilot's form on the money of one marché: 404 for a marché the user does not see, 403
    for one they see but do not pay."""

    template_name: str
    marche: MarcheSubsequent

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.marche = marche_de(request, kwargs["marche"])
            if not request.user.has_perm(GERER, self.marche):
                raise PermissionDenied(
                    "Seul le service pilote d'un marché notifié en tient les comptes."
                )
        return super().dispatch(request, *args, **kwargs)

    def retour(self) -> HttpResponse:
        return redirect(reverse("marches:marche", args=[self.marche.pk]) + "#finances")

    def execution(self) -> Execution:
        execution = Execution.objects.filter(marche=self.marche).first()
        if execution is None:
            raise Http404("L'exécution financière de ce marché n'est pas encore ouverte.")
        execution.marche = self.marche
        return execution

    def page(self, titre: str, status: int = 200, **contexte: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "marche": self.marche,
                "titre": titre,
                "breadcrumb_data": fil_ariane(self.marche, titre),
                **contexte,
            },
            status=status,
        )


class ExecutionView(_FinancesMarcheView):
    """Open the execution (montant notifié pre-filled from the attributaire's offer, EJ,
    duration, échéancier), or change it as a whole."""

    template_name = "marches/finances_execution.html"

    def titre(self, execution: Execution | None) -> str:
        return "Modifier l'exécution financière" if execution else "Ouvrir l'exécution financière"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        execution = Execution.objects.filter(marche=self.marche).first()
        if execution is None:
            offre = montant_propose(self.marche)
            initial: dict[str, Any] = {"duree_mois": 12}
            if offre is not None:
                initial.update(
                    montant_ht=offre.montant_ht,
                    montant_tva=offre.montant_tva,
                    montant_ttc=offre.montant_ttc,
                )
            form = ExecutionForm(initial=initial)
            echeancier = _echeancier(initial=ECHEANCIER_PROPOSE)
        else:
            form = ExecutionForm(
                initial={
                    c: getattr(execution, c)
                    for c in ("montant_ht", "montant_tva", "montant_ttc", "numero_ej", "duree_mois")
                }
            )
            echeancier = _echeancier(
                initial=[
                    {
                        "id": t.pk,
                        "libelle": t.libelle,
                        "jalon": t.jalon,
                        "pourcentage": t.pourcentage,
                    }
                    for t in execution.tranches.order_by("ordre")
                ]
            )
        return self.page(
            self.titre(execution), form=form, echeancier=echeancier, execution=execution
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        execution = Execution.objects.filter(marche=self.marche).first()
        form = ExecutionForm(request.POST)
        echeancier = _echeancier(request.POST)
        if form.is_valid() and echeancier.is_valid():
            data = form.cleaned_data
            champs = {
                c: data[c]
                for c in ("montant_ht", "montant_tva", "montant_ttc", "numero_ej", "duree_mois")
            }
            try:
                if execution is None:
                    execution_ouvrir(
                        marche=self.marche,
                        par=_par(request),
                        tranches=echeancier.lignes(),
                        **champs,
                    )
                    messages.success(
                        request,
                        "Exécution financière ouverte. Les tranches deviendront exigibles à "
                        "leur jalon ; l'avance à la notification l'est déjà, s'il y en a une.",
                    )
                else:
                    vu = int(request.POST.get("vu") or 0)
                    apres = execution_modifier(
                        execution=execution,
                        par=_par(request),
                        vu=vu,
                        tranches=echeancier.lignes(),
                        **champs,
                    )
                    if apres.version == vu:
                        messages.info(request, "Rien n'a changé : aucune modification enregistrée.")
                    else:
                        messages.success(request, "Exécution financière modifiée.")
                return self.retour()
            except ActionImpossible as exc:
                form.add_error(None, str(exc))
        return self.page(
            self.titre(execution),
            status=400,
            form=form,
            echeancier=echeancier,
            execution=execution,
        )


class CreditView(_FinancesMarcheView):
    """Record the AE and CP of one year."""

    template_name = "marches/finances_credit.html"
    titre = "Enregistrer les crédits d'une année"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.execution()
        return self.page(self.titre, form=CreditForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        execution = self.execution()
        form = CreditForm(request.POST)
        if form.is_valid():
            try:
                credit = credit_enregistrer(
                    execution=execution, par=_par(request), **form.cleaned_data
                )
            except ActionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Crédits {credit.annee} enregistrés.")
                return self.retour()
        return self.page(self.titre, status=400, form=form)


class PaiementView(_FinancesMarcheView):
    """Record a payment mandated on a payable tranche."""

    template_name = "marches/finances_paiement.html"
    titre = "Enregistrer un paiement"

    def formulaire(self, data: Any = None) -> PaiementForm:
        execution = self.execution()
        tranches = (
            Tranche.objects.filter(execution=execution, statut=Tranche.Statut.EXIGIBLE)
            .order_by("ordre")
            .prefetch_related(Prefetch("paiements", queryset=Paiement.objects.order_by()))
        )
        initial = {}
        if self.request.GET.get("tranche", "").isdigit():
            initial["tranche"] = int(self.request.GET["tranche"])
        return PaiementForm(data, tranches=tranches, initial=initial)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(self.titre, form=self.formulaire())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.formulaire(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                paiement = paiement_enregistrer(
                    tranche=data["tranche"],
                    par=_par(request),
                    date_service_fait=data["date_service_fait"],
                    date_mandatement=data["date_mandatement"],
                    montant=data["montant"],
                )
            except ActionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{paiement} enregistré.")
                return self.retour()
        return self.page(self.titre, status=400, form=form)


class TrancheLibererView(_FinancesMarcheView):
    """The pilot records that a tranche's milestone is reached (until the livrables stage does
    it on validation): confirmation page, then the tranche is payable."""

    template_name = "marches/finances_tranche.html"

    def tranche(self) -> Tranche:
        tranche = get_object_or_404(
            Tranche.objects.select_related("execution"),
            pk=self.kwargs["tranche"],
            execution__marche=self.marche,
        )
        tranche.execution.marche = self.marche
        return tranche

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tranche = self.tranche()
        if tranche.statut != Tranche.Statut.PREVUE:
            messages.error(request, f"La tranche « {tranche.libelle} » est déjà exigible.")
            return self.retour()
        return self.page(ACTION_LIBERER["libelle"], tranche=tranche, action=ACTION_LIBERER)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tranche = self.tranche()
        try:
            tranche = tranche_liberer(tranche=tranche, par=_par(request))
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"La tranche « {tranche.libelle} » est exigible : enregistrez son paiement une "
                "fois mandaté.",
            )
        return self.retour()


class FinancesNationalesView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """DGALN's BOP 135 at a glance: notified, paid and remaining by year and région, AE, CP and
    mandated by budget year."""

    permission_required = "marches.voir_finances_nationales"
    template_name = "marches/finances_nationales.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visibles = marches_visibles(self.request.user)
        # DGALN and the admins see every marché: no subquery that keeps them all.
        executions = (
            Execution.objects.filter(marche__in=visibles)
            if visibles.query.where
            else Execution.objects.all()
        )
        filtres = FinancesFiltreForm(
            self.request.GET or None, annees=annees_de_notification(executions)
        )
        annee = region = None
        if filtres.is_valid():
            annee = filtres.cleaned_data["annee"]
            region = filtres.cleaned_data["region"]
        totaux = totaux_nationaux(executions, annee=annee, region=region.pk if region else None)
        context.update(
            totaux=totaux,
            filtres=filtres,
            filtres_actifs=bool(annee or region),
            breadcrumb_data={"current": "Exécution financière des marchés"},
        )
        return context
