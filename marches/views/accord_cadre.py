"""The accords-cadres: their list, the page of one (titulaires, documents, journal), and what
DGALN and the admins do there: record or correct one, add or remove a titulaire, deposit a
document's new version. The State services read them."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from ateliers.services import ActionImpossible
from ateliers.views import PageLaPlusProcheMixin
from comptes.dates import date_longue
from comptes.models import Utilisateur
from marches.forms.accord_cadre import (
    AccordCadreFiltreForm,
    AccordCadreForm,
    DocumentAccordCadreForm,
    TitulaireForm,
)
from marches.models import AccordCadre, TitulaireAccordCadre
from marches.selectors.accord_cadre import (
    accords_cadres,
    annees_des_accords_cadres,
    documents_de,
    groupements_hors_accord_cadre,
    journal_de,
    titulaires_de,
)
from marches.services.accord_cadre import (
    accord_cadre_enregistrer,
    document_accord_cadre_deposer,
    titulaire_ajouter,
    titulaire_retirer,
)

VOIR = "marches.view_accordcadre"
GERER = "marches.gerer_accordcadre"


def _fil(courant: str, accord_cadre: AccordCadre | None = None) -> dict[str, Any]:
    liens = [{"url": reverse("marches:accords_cadres"), "title": "Accords-cadres"}]
    if accord_cadre is not None:
        liens.append(
            {
                "url": reverse("marches:accord_cadre", args=[accord_cadre.pk]),
                "title": accord_cadre.reference,
            }
        )
    return {"links": liens, "current": courant}


def _erreurs_dans(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError shown under the form's fields it names (at the top
    otherwise)."""
    if hasattr(exc, "error_dict"):
        for champ, erreurs in exc.error_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        form.add_error(None, exc)


class AccordCadreListView(
    LoginRequiredMixin, PermissionRequiredMixin, PageLaPlusProcheMixin, ListView
):
    """Every accord-cadre, filtered by state and year."""

    permission_required = VOIR
    template_name = "marches/accord_cadre_list.html"
    context_object_name = "accords_cadres"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[AccordCadre]:
        self.filtres = AccordCadreFiltreForm(
            self.request.GET or None, annees=annees_des_accords_cadres()
        )
        if self.filtres.is_valid():
            return accords_cadres(
                statut=self.filtres.cleaned_data["statut"],
                annee=self.filtres.cleaned_data["annee"],
            )
        return accords_cadres()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filtres=self.filtres,
            filtres_actifs=any(v for k, v in self.request.GET.items() if k != "page"),
            peut_gerer=self.request.user.has_perm(GERER),
            breadcrumb_data={"current": "Accords-cadres"},
        )
        return context


class AccordCadreMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """The accord-cadre of the URL (404 if there is none), for who may read or keep it."""

    permission_required = VOIR
    request: HttpRequest
    kwargs: dict[str, Any]
    accord_cadre: AccordCadre

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and self.has_permission():
            self.accord_cadre = get_object_or_404(
                AccordCadre.objects.select_related("acheteur"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def par(self) -> Utilisateur:
        return cast(Utilisateur, self.request.user)

    def page_accord_cadre(
        self,
        *,
        form_titulaire: TitulaireForm | None = None,
        form_document: DocumentAccordCadreForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        """The accord-cadre's page; for who keeps it, its two forms (as posted, with their
        errors, when one was refused)."""
        accord_cadre = self.accord_cadre
        peut_gerer = self.request.user.has_perm(GERER)
        contexte: dict[str, Any] = {
            "accord_cadre": accord_cadre,
            "titulaires": titulaires_de(accord_cadre),
            "documents": documents_de(accord_cadre),
            "journal": journal_de(accord_cadre),
            "nombre_marches": accord_cadre.marches.exclude(statut="nouveau").count(),
            "peut_gerer": peut_gerer,
            "breadcrumb_data": _fil(accord_cadre.reference),
        }
        if peut_gerer:
            contexte["form_titulaire"] = form_titulaire or TitulaireForm(
                groupements=groupements_hors_accord_cadre(accord_cadre), prefix="titulaire"
            )
            contexte["form_document"] = form_document or DocumentAccordCadreForm(prefix="document")
        return render(self.request, "marches/accord_cadre_detail.html", contexte, status=status)

    def vers_la_page(self, ancre: str = "") -> HttpResponse:
        url = reverse("marches:accord_cadre", args=[self.accord_cadre.pk])
        return redirect(f"{url}#{ancre}" if ancre else url)


class AccordCadreDetailView(AccordCadreMixin, View):
    """One accord-cadre: its record, its titulaires with their firms, its documents with every
    version, and its journal."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page_accord_cadre()


class AccordCadreFormView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Record a new accord-cadre (no pk) or correct one."""

    permission_required = GERER
    template_name = "marches/accord_cadre_form.html"
    accord_cadre: AccordCadre | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if "pk" in kwargs and request.user.is_authenticated and self.has_permission():
            self.accord_cadre = get_object_or_404(AccordCadre, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _page(self, form: AccordCadreForm, status: int = 200) -> HttpResponse:
        titre = (
            f"Modifier l'accord-cadre {self.accord_cadre.reference}"
            if self.accord_cadre
            else "Enregistrer un accord-cadre"
        )
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "accord_cadre": self.accord_cadre,
                "titre": titre,
                "breadcrumb_data": _fil(
                    "Modifier" if self.accord_cadre else "Enregistrer un accord-cadre",
                    self.accord_cadre,
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        if self.accord_cadre is not None:
            return self._page(AccordCadreForm.depuis(self.accord_cadre))
        return self._page(AccordCadreForm())

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        form = AccordCadreForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        cree = self.accord_cadre is None
        try:
            accord_cadre = accord_cadre_enregistrer(
                par=cast(Utilisateur, request.user),
                accord_cadre=self.accord_cadre,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _erreurs_dans(form, exc)
            return self._page(form, status=400)
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self._page(form, status=400)
        messages.success(
            request,
            f"Accord-cadre {accord_cadre.reference} enregistré : ajoutez ses titulaires et ses "
            "documents."
            if cree
            else f"Accord-cadre {accord_cadre.reference} modifié.",
        )
        return redirect("marches:accord_cadre", pk=accord_cadre.pk)


class TitulaireAjouterView(AccordCadreMixin, View):
    """Make a groupement titulaire of the accord-cadre."""

    permission_required = GERER

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.vers_la_page("titulaires")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = TitulaireForm(
            request.POST,
            groupements=groupements_hors_accord_cadre(self.accord_cadre),
            prefix="titulaire",
        )
        if not form.is_valid():
            return self.page_accord_cadre(form_titulaire=form, status=400)
        try:
            titulaire = titulaire_ajouter(
                accord_cadre=self.accord_cadre, par=self.par(), **form.cleaned_data
            )
        except ValidationError as exc:
            _erreurs_dans(form, exc)
            return self.page_accord_cadre(form_titulaire=form, status=400)
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"« {titulaire.groupement.nom} » est titulaire de l'accord-cadre depuis le "
                f"{date_longue(titulaire.date_notification)} : il sera consulté pour "
                "les marchés subséquents lancés sous cet accord-cadre.",
            )
        return self.vers_la_page("titulaires")


class TitulaireRetirerView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Take a groupement off the accord-cadre, after a confirmation that says what follows."""

    permission_required = GERER
    template_name = "marches/accord_cadre_titulaire_retirer.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and self.has_permission():
            self.titulaire = get_object_or_404(
                TitulaireAccordCadre.objects.select_related("accord_cadre", "groupement"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def _page_accord_cadre(self) -> HttpResponse:
        url = reverse("marches:accord_cadre", args=[self.titulaire.accord_cadre_id])
        return redirect(f"{url}#titulaires")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        accord_cadre = self.titulaire.accord_cadre
        return render(
            request,
            self.template_name,
            {
                "titulaire": self.titulaire,
                "accord_cadre": accord_cadre,
                "breadcrumb_data": _fil("Retirer un titulaire", accord_cadre),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            titulaire_retirer(titulaire=self.titulaire, par=cast(Utilisateur, request.user))
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"« {self.titulaire.groupement.nom} » n'est plus titulaire de l'accord-cadre "
                f"{self.titulaire.accord_cadre.reference}. Le journal garde la trace du retrait.",
            )
        return self._page_accord_cadre()


class DocumentDeposerView(AccordCadreMixin, View):
    """Deposit a document of the accord-cadre, or a new version of one."""

    permission_required = GERER

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.vers_la_page("documents")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = DocumentAccordCadreForm(request.POST, request.FILES, prefix="document")
        if not form.is_valid():
            return self.page_accord_cadre(form_document=form, status=400)
        try:
            document = document_accord_cadre_deposer(
                accord_cadre=self.accord_cadre, par=self.par(), **form.cleaned_data
            )
        except ValidationError as exc:
            _erreurs_dans(form, exc)
            return self.page_accord_cadre(form_document=form, status=400)
        messages.success(
            request,
            f"« {document.titre} » déposé (version {document.version}). Les services pilotes "
            "des marchés en cours sous cet accord-cadre en sont informés.",
        )
        return self.vers_la_page("documents")
