"""The three signed letters: their models, their deposited files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from ateliers.services import ActionImpossible
from candidatures.forms import (
    CourrierForm,
)
from candidatures.models import (
    Courrier,
)
from candidatures.sections import (
    action_deposer,
)
from candidatures.selectors import (
    courriers_actuels,
    donnees_courriers,
    etat_des_courriers,
    modeles_actuels,
)
from candidatures.services import (
    courrier_demander_modele,
    courrier_deposer,
)
from candidatures.views._commun import (
    CandidatureMixin,
    _fil_ariane,
    contexte_note,
)


class CourriersView(CandidatureMixin, View):
    """The three letters of the dossier: for each, its model to print and sign (a PDF filled
    from the note), the signed letter deposited and the field to deposit or replace it."""

    template_name = "candidatures/courriers.html"

    def charger(self):
        self.peut_rediger = self.request.user.has_perm(
            "candidatures.rediger_candidature", self.candidature
        )

    def _page(self, formulaires=None, status=200):
        courriers = courriers_actuels(self.candidature)
        modeles = modeles_actuels(self.candidature, donnees_courriers(self.candidature))
        formulaires = formulaires or {}
        lignes = etat_des_courriers(self.candidature, courriers=courriers)
        for ligne in lignes:
            ligne["modele"] = modeles.get(ligne["type"])
            ligne["form"] = formulaires.get(ligne["type"]) or CourrierForm(prefix=ligne["type"])
            ligne["modifiable"] = self.peut_rediger and self.candidature.piece_modifiable(
                ligne["type"]
            )
        action = action_deposer(self.candidature)
        return render(
            self.request,
            self.template_name,
            {
                **contexte_note(
                    self.atelier,
                    self.candidature,
                    user=self.request.user,
                    page_note="courriers",
                    courriers=courriers,
                ),
                "courriers": lignes,
                "peut_rediger": self.peut_rediger,
                "action": action,
                "historique": Courrier.objects.filter(
                    candidature=self.candidature, remplace_le__isnull=False
                ).select_related("fichier", "depose_par"),
                "breadcrumb_data": _fil_ariane(self.atelier, "Courriers signés"),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._page()

    def _type(self):
        try:
            return Courrier.Type(self.kwargs["type_courrier"])
        except ValueError:
            raise Http404 from None

    def _adresse(self, type_courrier):
        return (
            reverse("candidatures:courriers", args=[self.atelier.pk]) + f"#courrier-{type_courrier}"
        )


class CourrierDeposerView(CourriersView):
    """Deposit (or replace) one signed letter; porteurs only, while the note is drafted."""

    def get(self, request, pk, type_courrier):
        return redirect(self._adresse(self._type()))

    def post(self, request, pk, type_courrier):
        type_courrier = self._type()
        if not (self.peut_rediger and self.candidature.piece_modifiable(type_courrier)):
            raise PermissionDenied("Vous ne pouvez pas déposer ce courrier sur cette candidature.")
        form = CourrierForm(request.POST, request.FILES, prefix=type_courrier)
        if not form.is_valid():
            return self._page({type_courrier: form}, status=400)
        remplace = type_courrier in courriers_actuels(self.candidature)
        try:
            courrier_deposer(
                candidature=self.candidature,
                type_courrier=type_courrier,
                fichier=form.cleaned_data["fichier"],
                par=request.user,
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
            return redirect("portail:atelier", pk=self.atelier.pk)
        messages.success(
            request,
            f"« {type_courrier.label} » est {'remplacée' if remplace else 'déposée'}.",
        )
        return redirect(self._adresse(type_courrier))


class CourrierModeleView(CourriersView):
    """Ask for the model of one letter, filled from the note as it stands now."""

    def get(self, request, pk, type_courrier):
        return redirect(self._adresse(self._type()))

    def post(self, request, pk, type_courrier):
        type_courrier = self._type()
        courrier_demander_modele(
            candidature=self.candidature, type_courrier=type_courrier, par=request.user
        )
        messages.success(
            request,
            f"Le modèle « {type_courrier.label} » est demandé : il apparaît ci-dessous dès "
            "qu'il est prêt.",
        )
        return redirect(self._adresse(type_courrier))
