"""The feuille de route's pages: the plan as everyone who follows the atelier reads it, the
groupement's editor (objectifs, axes, actions and their financing), the workbook exported and
imported."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from ateliers.models import Atelier
from ateliers.services import ActionImpossible
from ateliers.views.cadrage import fil
from comptes.models import Utilisateur
from livrables.classeur import TYPE_XLSX, ClasseurRefuse, classeur_ecrire, classeur_lire
from livrables.forms.feuille_route import (
    ActionForm,
    ElementForm,
    FinancementFormSet,
    ImportForm,
)
from livrables.models import Action, Axe, Livrable, Objectif, TypeLivrable, VersionLivrable
from livrables.selectors import livrable_de
from livrables.selectors.feuille_route import (
    actions_de,
    axes_de,
    contenu_feuille_route,
    feuille_figee,
    feuille_modifiable,
    objectifs_de,
    reste_a_financer,
    totaux,
)
from livrables.services.feuille_route import (
    action_enregistrer,
    axe_enregistrer,
    element_deplacer,
    element_retirer,
    feuille_remplacer,
    objectif_enregistrer,
)

FEUILLE = TypeLivrable.FEUILLE_ROUTE
GENRES: dict[str, type[models.Model]] = {"objectif": Objectif, "axe": Axe, "action": Action}
NOMS = {"objectif": "l'objectif", "axe": "l'axe", "action": "l'action"}


def _feuille(request: HttpRequest, pk: int) -> Livrable:
    """The feuille de route of atelier `pk` if this user follows its accompagnement; 404."""
    atelier = get_object_or_404(
        Atelier.objects.select_related("service_pilote", "groupement"),
        pk=pk,
        cadrage__isnull=False,
    )
    livrable = livrable_de(atelier, FEUILLE)
    if not request.user.has_perm("livrables.view_livrable", livrable):
        raise Http404
    return livrable


def _fil(livrable: Livrable, courant: str | None = None) -> dict[str, Any]:
    atelier = livrable.atelier
    parents = [
        (reverse("livrables:livrables", args=[atelier.pk]), "Livrables"),
        (reverse("livrables:livrable", args=[atelier.pk, FEUILLE]), "Feuille de route"),
    ]
    if courant is None:
        return fil(atelier, "Plan d'action", *parents)
    parents.append((reverse("livrables:feuille", args=[atelier.pk]), "Plan d'action"))
    return fil(atelier, courant, *parents)


# A number no row has, reversed once per page and replaced by each row's own: the editor's
# three links of each row cost a string replace, not a URL reversal (150 actions, 600 of them).
SENTINELLE = 2_147_483_647


def _attacher_les_liens(atelier_pk: int, genre: str, elements: list[Any]) -> None:
    """Each element's editor links (modifier, déplacer, retirer), for the tag `boutons_feuille`."""
    modifier = (
        reverse("livrables:feuille_action", args=[atelier_pk, SENTINELLE])
        if genre == "action"
        else reverse("livrables:feuille_modifier", args=[atelier_pk, genre, SENTINELLE])
    )
    gabarits = {
        "modifier": modifier,
        "deplacer": reverse("livrables:feuille_deplacer", args=[atelier_pk, genre, SENTINELLE]),
        "retirer": reverse("livrables:feuille_retirer", args=[atelier_pk, genre, SENTINELLE]),
    }
    for element in elements:
        element.liens = {
            nom: lien.replace(str(SENTINELLE), str(element.pk)) for nom, lien in gabarits.items()
        }


class FeuilleRouteView(LoginRequiredMixin, View):
    """The draft's plan: objectifs, axes and their actions with their financing, the totals
    and what remains to finance; with the editor's buttons for the groupement while it
    writes."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        livrable = _feuille(request, pk)
        actions = list(actions_de(livrable))
        for action in actions:
            action.reste = reste_a_financer(action)  # type: ignore[attr-defined]
        axes = list(axes_de(livrable))
        objectifs = list(objectifs_de(livrable))
        par_axe = {axe.pk: [a for a in actions if a.axe_id == axe.pk] for axe in axes}
        modifiable = feuille_modifiable(livrable, request.user)
        if modifiable:
            for genre, elements in (("objectif", objectifs), ("axe", axes), ("action", actions)):
                _attacher_les_liens(pk, genre, elements)
        return render(
            request,
            "livrables/feuille_plan.html",
            {
                "atelier": livrable.atelier,
                "livrable": livrable,
                "objectifs": objectifs,
                "axes": [(axe, par_axe[axe.pk]) for axe in axes],
                "nombre_actions": len(actions),
                "versions": list(
                    VersionLivrable.objects.filter(livrable_id=livrable.pk or 0)
                    .order_by("-numero")
                    .values_list("numero", flat=True)
                ),
                "totaux": totaux(actions),
                "modifiable": modifiable,
                "breadcrumb_data": _fil(livrable),
            },
        )


class _EditionView(LoginRequiredMixin, View):
    """A page of the editor: the groupement titulaire only, while the draft is open (403
    otherwise; 404 for who does not follow the atelier)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.livrable = _feuille(request, kwargs["pk"])
            if not feuille_modifiable(self.livrable, request.user):
                raise PermissionDenied("La feuille de route ne se modifie pas ici.")
        return super().dispatch(request, *args, **kwargs)

    @property
    def par(self) -> Utilisateur:
        return cast(Utilisateur, self.request.user)

    def element(self, genre: str, objet: int | None) -> Any:
        if genre not in GENRES:
            raise Http404
        if objet is None:
            return None
        return get_object_or_404(
            GENRES[genre]._default_manager, pk=objet, livrable_id=self.livrable.pk or 0
        )

    def retour(self) -> HttpResponse:
        return redirect("livrables:feuille", self.livrable.atelier_id)


class ElementView(_EditionView):
    """Add or change an objective or an axis."""

    titres = {
        ("objectif", False): "Ajouter un objectif",
        ("objectif", True): "Modifier l'objectif",
        ("axe", False): "Ajouter un axe",
        ("axe", True): "Modifier l'axe",
    }

    def page(self, genre: str, form: ElementForm, element: Any, status: int = 200) -> HttpResponse:
        titre = self.titres[(genre, element is not None)]
        return render(
            self.request,
            "ateliers/accompagnement_form.html",
            {
                "atelier": self.livrable.atelier,
                "form": form,
                "vu": "",
                "titre": titre,
                "annuler": reverse("livrables:feuille", args=[self.livrable.atelier_id]),
                "breadcrumb_data": _fil(self.livrable, titre),
            },
            status=status,
        )

    def get(
        self, request: HttpRequest, pk: int, genre: str, objet: int | None = None
    ) -> HttpResponse:
        if genre not in ("objectif", "axe"):
            raise Http404
        element = self.element(genre, objet)
        initial = (
            {"intitule": element.intitule, "description": element.description} if element else None
        )
        return self.page(genre, ElementForm(initial=initial), element)

    def post(
        self, request: HttpRequest, pk: int, genre: str, objet: int | None = None
    ) -> HttpResponse:
        if genre not in ("objectif", "axe"):
            raise Http404
        element = self.element(genre, objet)
        form = ElementForm(request.POST)
        if not form.is_valid():
            return self.page(genre, form, element, status=400)
        try:
            if genre == "objectif":
                objectif_enregistrer(
                    livrable=self.livrable, par=self.par, objectif=element, **form.cleaned_data
                )
            else:
                axe_enregistrer(
                    livrable=self.livrable, par=self.par, axe=element, **form.cleaned_data
                )
        except ActionImpossible as exc:
            form.add_error("intitule", str(exc))
            return self.page(genre, form, element, status=400)
        messages.success(
            request,
            f"{NOMS[genre].capitalize()} « {form.cleaned_data['intitule']} » est enregistré.",
        )
        return self.retour()


class ActionView(_EditionView):
    """Add or change an action and its financing plan."""

    def formulaires(self, action: Action | None, data: Any = None) -> tuple[ActionForm, Any]:
        initial = None
        lignes = None
        if action is not None:
            initial = {
                champ: getattr(action, champ)
                for champ in ActionForm.base_fields
                if champ not in ("axe", "thematique", "porteur")
            } | {
                "axe": action.axe_id,
                "thematique": action.thematique_id,
                "porteur": action.porteur_id,
            }
            lignes = [
                {"source": f.source, "precision": f.precision, "montant": f.montant}
                for f in action.financements.all()
            ]
        form = ActionForm(
            data, initial=initial, axes=axes_de(self.livrable), atelier=self.livrable.atelier
        )
        return form, FinancementFormSet(data, initial=lignes, prefix="financements")

    def page(
        self, form: ActionForm, financements: Any, action: Action | None, status: int = 200
    ) -> HttpResponse:
        titre = f"Modifier l'action {action.reference}" if action else "Ajouter une action"
        return render(
            self.request,
            "livrables/feuille_action_form.html",
            {
                "atelier": self.livrable.atelier,
                "form": form,
                "financements": financements,
                "action": action,
                "titre": titre,
                "annuler": reverse("livrables:feuille", args=[self.livrable.atelier_id]),
                "breadcrumb_data": _fil(self.livrable, titre),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int, objet: int | None = None) -> HttpResponse:
        action = self.element("action", objet)
        if action is None and not axes_de(self.livrable).exists():
            messages.info(request, "Ajoutez d'abord un axe : chaque action appartient à un axe.")
            return self.retour()
        return self.page(*self.formulaires(action), action)

    def post(self, request: HttpRequest, pk: int, objet: int | None = None) -> HttpResponse:
        action = self.element("action", objet)
        form, financements = self.formulaires(action, request.POST)
        if not (form.is_valid() and financements.is_valid()):
            return self.page(form, financements, action, status=400)
        try:
            action = action_enregistrer(
                livrable=self.livrable,
                par=self.par,
                action=action,
                valeurs=form.cleaned_data,
                financements=financements.lignes(),
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.page(form, financements, action, status=400)
        messages.success(
            request, f"L'action {action.reference} « {action.titre} » est enregistrée."
        )
        return self.retour()


class RetirerView(_EditionView):
    """Remove an objective, an axis or an action, after a confirmation page."""

    def get(self, request: HttpRequest, pk: int, genre: str, objet: int) -> HttpResponse:
        element = self.element(genre, objet)
        titre = f"Retirer {NOMS[genre]}"
        return render(
            request,
            "livrables/feuille_retirer.html",
            {
                "atelier": self.livrable.atelier,
                "element": element,
                "genre": genre,
                "titre": titre,
                "annuler": reverse("livrables:feuille", args=[self.livrable.atelier_id]),
                "breadcrumb_data": _fil(self.livrable, titre),
            },
        )

    def post(self, request: HttpRequest, pk: int, genre: str, objet: int) -> HttpResponse:
        element = self.element(genre, objet)
        try:
            element_retirer(element=element, par=self.par)
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{NOMS[genre].capitalize()} « {element} » est retiré.")
        return self.retour()


class DeplacerView(_EditionView):
    """Move an objective, an axis or an action one place up or down."""

    def post(self, request: HttpRequest, pk: int, genre: str, objet: int) -> HttpResponse:
        element = self.element(genre, objet)
        sens = request.POST.get("sens")
        if sens not in ("monter", "descendre"):
            raise Http404
        element_deplacer(element=element, par=self.par, sens=sens)  # type: ignore[arg-type]
        messages.success(request, f"{NOMS[genre].capitalize()} « {element} » est déplacé.")
        return redirect(
            reverse("livrables:feuille", args=[self.livrable.atelier_id]) + f"#{genre}-{element.pk}"
        )


class ImportView(_EditionView):
    """Replace the whole draft by a workbook of the same template, or nothing."""

    def page(
        self, form: ImportForm, erreurs: list[str] | None = None, status: int = 200
    ) -> HttpResponse:
        titre = "Importer un classeur"
        return render(
            self.request,
            "livrables/feuille_import.html",
            {
                "atelier": self.livrable.atelier,
                "form": form,
                "erreurs": erreurs or [],
                "titre": titre,
                "annuler": reverse("livrables:feuille", args=[self.livrable.atelier_id]),
                "breadcrumb_data": _fil(self.livrable, titre),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(ImportForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            feuille = classeur_lire(form.cleaned_data["classeur"], atelier=self.livrable.atelier)
            feuille_remplacer(livrable=self.livrable, par=self.par, feuille=feuille)
        except ClasseurRefuse as exc:
            return self.page(form, exc.erreurs, status=400)
        except ActionImpossible as exc:
            return self.page(form, [str(exc)], status=400)
        nombre = len(feuille.actions)
        messages.success(
            request,
            f"Le classeur est importé : la feuille de route compte {nombre} "
            f"action{'s' if nombre > 1 else ''}.",
        )
        return self.retour()


def _telecharger(contenu: bytes, nom: str) -> HttpResponse:
    reponse = HttpResponse(contenu, content_type=TYPE_XLSX)
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


class ExportView(LoginRequiredMixin, View):
    """The draft, or one deposited version, as a workbook of the import's template."""

    def get(self, request: HttpRequest, pk: int, numero: int | None = None) -> HttpResponse:
        livrable = _feuille(request, pk)
        reference = livrable.atelier.reference
        if numero is None:
            return _telecharger(
                classeur_ecrire(contenu_feuille_route(livrable)),
                f"feuille-de-route-{reference}.xlsx",
            )
        version = get_object_or_404(VersionLivrable, livrable_id=livrable.pk or 0, numero=numero)
        return _telecharger(
            classeur_ecrire(feuille_figee(version.contenu)),
            f"feuille-de-route-{reference}-version-{numero}.xlsx",
        )
