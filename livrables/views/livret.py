"""The livret de capitalisation's editor: what the portal assembles, the groupement's texts and
images; each write is one short POST view calling its service."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views import View

from ateliers.models import Atelier
from ateliers.services import ActionImpossible
from ateliers.views.cadrage import fil
from comptes.models import Utilisateur
from livrables.forms.livret import ImageLivretForm, PartieLivretForm
from livrables.models import DEPOSER, ImageLivret, Livrable, TypeLivrable
from livrables.selectors import livrable_de
from livrables.selectors.livret import (
    PARTIES_DU_LIVRET,
    apercu_du_livret,
    images_du_livret,
    parties_du_livret,
)
from livrables.services.livret import (
    EN_REDACTION,
    livret_image_deposer,
    livret_image_retirer,
    livret_partie_ecrire,
)

TITRES = dict(PARTIES_DU_LIVRET)


def _livret(request: HttpRequest, pk: int) -> Livrable:
    """The livret of atelier `pk`, once notified, if this user follows its accompagnement;
    404 otherwise."""
    atelier = get_object_or_404(
        Atelier.objects.select_related("service_pilote", "groupement"),
        pk=pk,
        cadrage__isnull=False,
    )
    livrable = livrable_de(atelier, TypeLivrable.LIVRET)
    if not request.user.has_perm("livrables.view_livrable", livrable):
        raise Http404
    return livrable


def _fil(livrable: Livrable, courant: str | None = None) -> dict[str, Any]:
    atelier = livrable.atelier
    parents = [(reverse("livrables:livrables", args=[atelier.pk]), "Livrables")]
    if courant is None:
        return fil(atelier, "Livret de capitalisation", *parents)
    parents.append((reverse("livrables:livret", args=[atelier.pk]), "Livret de capitalisation"))
    return fil(atelier, courant, *parents)


def peut_rediger(user: Any, livrable: Livrable) -> bool:
    """The groupement titulaire writes the livret while no version waits for review."""
    return user.has_perm(DEPOSER, livrable) and livrable.statut in EN_REDACTION


class LivretView(LoginRequiredMixin, View):
    """The livret as the next dépôt would freeze it: the assembly, the parts, the images."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        livrable = _livret(request, pk)
        apercu = apercu_du_livret(livrable)
        carte = apercu.carte
        return render(
            request,
            "livrables/livret_detail.html",
            {
                "atelier": livrable.atelier,
                "livrable": livrable,
                "apercu": apercu,
                # The portal's own drawing, from numbers it computed: no user text in it.
                "carte_svg": mark_safe(carte["svg"]) if carte else "",
                "parties": parties_du_livret(livrable),
                "images": images_du_livret(livrable),
                "peut_rediger": peut_rediger(request.user, livrable),
                "breadcrumb_data": _fil(livrable),
            },
        )


class _RedactionView(LoginRequiredMixin, View):
    """A write of the groupement on the livret: refused (403) to anyone else."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.livrable = _livret(request, kwargs["pk"])
            if not request.user.has_perm(DEPOSER, self.livrable):
                raise PermissionDenied("Seul le groupement titulaire rédige le livret.")
        return super().dispatch(request, *args, **kwargs)

    def retour(self) -> HttpResponse:
        return redirect("livrables:livret", self.livrable.atelier_id)

    def page(self, gabarit: str, titre: str, status: int = 200, **contexte: Any) -> HttpResponse:
        return render(
            self.request,
            gabarit,
            {
                "atelier": self.livrable.atelier,
                "livrable": self.livrable,
                "titre": titre,
                "annuler": reverse("livrables:livret", args=[self.livrable.atelier_id]),
                "breadcrumb_data": _fil(self.livrable, titre),
                **contexte,
            },
            status=status,
        )


class LivretPartieView(_RedactionView):
    """The groupement writes one of its parts (éditorial, témoignages…)."""

    def _partie(self, cle: str) -> Any:
        partie = next((p for p in parties_du_livret(self.livrable) if p.cle == cle), None)
        if partie is None:
            raise Http404
        return partie

    def get(self, request: HttpRequest, pk: int, cle: str) -> HttpResponse:
        partie = self._partie(cle)
        form = PartieLivretForm(initial={"texte": partie.texte})
        return self.page("livrables/livret_partie.html", partie.titre, form=form, partie=partie)

    def post(self, request: HttpRequest, pk: int, cle: str) -> HttpResponse:
        partie = self._partie(cle)
        form = PartieLivretForm(request.POST)
        if form.is_valid():
            try:
                livret_partie_ecrire(
                    livrable=self.livrable,
                    par=cast(Utilisateur, request.user),
                    cle=cle,
                    texte=form.cleaned_data["texte"],
                )
            except ActionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"« {partie.titre} » est enregistré.")
                return self.retour()
        return self.page(
            "livrables/livret_partie.html", partie.titre, 400, form=form, partie=partie
        )


class LivretImageView(_RedactionView):
    """The groupement places an image in one part of the livret."""

    titre = "Ajouter une image au livret"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page("livrables/livret_image.html", self.titre, form=ImageLivretForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ImageLivretForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                image = livret_image_deposer(
                    livrable=self.livrable,
                    par=cast(Utilisateur, request.user),
                    fichier=form.cleaned_data["fichier"],
                    partie=form.cleaned_data["partie"],
                    texte_alternatif=form.cleaned_data["texte_alternatif"],
                    legende=form.cleaned_data["legende"],
                )
            except ActionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"L'image « {image} » est ajoutée à « {TITRES[image.partie]} »."
                )
                return self.retour()
        return self.page("livrables/livret_image.html", self.titre, 400, form=form)


class LivretImageRetirerView(_RedactionView):
    """The groupement takes an image out of the livret."""

    def post(self, request: HttpRequest, pk: int, image: int) -> HttpResponse:
        if self.livrable.pk is None:
            raise Http404
        a_retirer = get_object_or_404(ImageLivret, pk=image, livrable=self.livrable)
        try:
            livret_image_retirer(image=a_retirer, par=cast(Utilisateur, request.user))
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"L'image « {a_retirer} » est retirée du livret.")
        return self.retour()
