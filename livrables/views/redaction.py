"""The editor of the livrables written in the portal (note de cadrage, carnet de suivi,
rapport final): one text area per part; the carnet's re-assembling and the removal of a part
whose source is gone."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from ateliers.models import Atelier
from ateliers.services import ActionImpossible
from ateliers.views.cadrage import fil
from comptes.models import Utilisateur
from livrables.forms.redaction import RedactionForm
from livrables.models import DEPOSER, Livrable, PartieRedigee
from livrables.selectors import livrable_de
from livrables.selectors.redaction import (
    CALENDRIER,
    CARNET,
    EQUIPE,
    NOTE,
    REDIGES,
    calendrier_de,
    equipe_de,
    etat_du_carnet,
    parties_de,
)
from livrables.services.redaction import (
    ECRITS_DANS,
    carnet_assembler,
    carnet_enregistrer,
    carnet_partie_retirer,
    note_cadrage_enregistrer,
    rapport_final_enregistrer,
)


def livrable_a_rediger(request: HttpRequest, pk: int, type: str) -> Livrable:
    """The atelier's livrable of this written type if this user may write it: 404 for who does
    not follow the atelier (or another type), 403 for who reads it without writing it."""
    if type not in REDIGES:
        raise Http404
    atelier = get_object_or_404(
        Atelier.objects.select_related("service_pilote", "groupement"),
        pk=pk,
        cadrage__isnull=False,
    )
    livrable = livrable_de(atelier, type)
    if not request.user.has_perm("livrables.view_livrable", livrable):
        raise Http404
    if not request.user.has_perm(DEPOSER, livrable):
        raise PermissionDenied("Seul le groupement titulaire rédige ce livrable.")
    return livrable


def _par(request: HttpRequest) -> Utilisateur:
    return cast(Utilisateur, request.user)


def _editeur(request: HttpRequest, pk: int, type: str) -> HttpResponse:
    return redirect("livrables:rediger", pk, type)


class RedactionView(LoginRequiredMixin, View):
    """The editor of a written livrable: shown again with its errors (400) and all that was
    typed, or saved by the type's service (one line of the journal), back to the editor."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.livrable = livrable_a_rediger(request, kwargs["pk"], kwargs["type"])
        return super().dispatch(request, *args, **kwargs)

    def formulaire(self, data: Any = None) -> RedactionForm:
        livrable, atelier = self.livrable, self.livrable.atelier
        self.carnet = etat_du_carnet(livrable) if livrable.type == CARNET else None
        parties = self.carnet.parties if self.carnet else parties_de(livrable)
        par_cle = {p.cle: p for p in parties}
        return RedactionForm(
            data,
            parties=parties,
            ordonner=livrable.type == CARNET,
            calendrier=calendrier_de(atelier, par_cle.get(CALENDRIER))
            if livrable.type == NOTE
            else [],
            equipe=equipe_de(atelier, par_cle.get(EQUIPE)) if livrable.type == NOTE else [],
            libelle_texte="Ce que le groupement ajoute" if livrable.type == CARNET else "",
        )

    def page(self, form: RedactionForm, status: int = 200) -> HttpResponse:
        livrable, atelier = self.livrable, self.livrable.atelier
        titre = f"Rédiger : {livrable.get_type_display().lower()}"
        return render(
            self.request,
            "livrables/redaction_editeur.html",
            {
                "atelier": atelier,
                "livrable": livrable,
                "form": form,
                "titre": titre,
                "modifiable": livrable.statut in ECRITS_DANS,
                "carnet": self.carnet,
                "derniere": max(
                    (p for p in form.parties if p.pk),
                    key=lambda p: p.modifie_le,
                    default=None,
                ),
                "breadcrumb_data": fil(
                    atelier,
                    "Rédiger",
                    (reverse("livrables:livrables", args=[atelier.pk]), "Livrables"),
                    (
                        reverse("livrables:livrable", args=[atelier.pk, livrable.type]),
                        livrable.get_type_display(),
                    ),
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        return self.page(self.formulaire())

    def post(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        form = self.formulaire(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            changees = self.enregistrer(form, request.POST.get("vu", ""))
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.page(form, status=400)
        if changees:
            messages.success(
                request, f"Rédaction enregistrée : {', '.join(p.titre for p in changees)}."
            )
        else:
            messages.info(request, "Rien n'a changé depuis le dernier enregistrement.")
        return _editeur(request, pk, type)

    def enregistrer(self, form: RedactionForm, vu: str) -> list[PartieRedigee]:
        livrable, par = self.livrable, _par(self.request)
        if livrable.type == NOTE:
            return note_cadrage_enregistrer(
                livrable=livrable,
                par=par,
                vu=vu,
                textes=form.textes(),
                commentaires=form.commentaires(),
                equipe=form.saisie_equipe(),
            )
        if livrable.type == CARNET:
            return carnet_enregistrer(
                livrable=livrable, par=par, vu=vu, textes=form.textes(), ordre=form.ordre()
            )
        return rapport_final_enregistrer(livrable=livrable, par=par, vu=vu, textes=form.textes())


class CarnetAssemblerView(LoginRequiredMixin, View):
    """Read again the validated compte-rendus and the inter-ateliers into the carnet; the
    groupement's text stays as it was."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        livrable = livrable_a_rediger(request, pk, CARNET)
        try:
            resultat = carnet_assembler(
                livrable=livrable, par=_par(request), vu=request.POST.get("vu", "")
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
            return _editeur(request, pk, CARNET)
        if resultat.ajoutees or resultat.mises_a_jour:
            messages.success(
                request,
                f"Carnet réassemblé : {len(resultat.ajoutees)} partie(s) ajoutée(s), "
                f"{len(resultat.mises_a_jour)} mise(s) à jour ; vos textes sont inchangés.",
            )
        else:
            messages.info(request, "Le carnet était déjà à jour de ses sources.")
        if resultat.disparues:
            messages.warning(
                request,
                "Source disparue (gardée telle quelle, à retirer si vous le souhaitez) : "
                f"{' ; '.join(resultat.disparues)}.",
            )
        return _editeur(request, pk, CARNET)


class CarnetPartieRetirerView(LoginRequiredMixin, View):
    """Remove, confirmed, a part of the carnet whose source is gone, with its text."""

    def partie(self, request: HttpRequest, pk: int, cle: str) -> tuple[Livrable, PartieRedigee]:
        livrable = livrable_a_rediger(request, pk, CARNET)
        partie = get_object_or_404(PartieRedigee, livrable_id=livrable.pk, cle=cle)
        return livrable, partie

    def get(self, request: HttpRequest, pk: int, cle: str) -> HttpResponse:
        livrable, partie = self.partie(request, pk, cle)
        atelier = livrable.atelier
        return render(
            request,
            "livrables/redaction_retirer.html",
            {
                "atelier": atelier,
                "livrable": livrable,
                "partie": partie,
                "breadcrumb_data": fil(
                    atelier,
                    "Retirer une partie",
                    (reverse("livrables:rediger", args=[atelier.pk, CARNET]), "Rédiger"),
                ),
            },
        )

    def post(self, request: HttpRequest, pk: int, cle: str) -> HttpResponse:
        livrable, _ = self.partie(request, pk, cle)
        try:
            titre = carnet_partie_retirer(
                livrable=livrable, par=_par(request), vu=request.POST.get("vu", ""), cle=cle
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Partie retirée du carnet : {titre}.")
        return _editeur(request, pk, CARNET)
