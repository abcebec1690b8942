"""The review's actions confirmed on their own page: the request of corrections, the
validation (which says the tranche it makes payable and its amount), DGALN's accord on the
livret, the withdrawal of a comment not sent. GET shows the consequence, POST runs the
service with the state the user saw; 404 for a livrable the user does not read, 403 for an
action they may not take."""

from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_fsm import can_proceed

from ateliers.services import ActionImpossible
from ateliers.views.cadrage import fil
from livrables.forms.revue import ConfirmationForm
from livrables.models import ACCORDER, REVOIR, Commentaire, Livrable
from livrables.selectors import jalons_atteints, version_en_revue
from livrables.services import (
    accord_donner,
    commentaire_retirer,
    corrections_demander,
    livrable_valider,
)
from livrables.views.revue import (
    TRANSITIONS,
    S,
    ancrer,
    livrable_de_la_page,
    peut_accorder,
    url_de,
    utilisateur,
)
from marches.selectors import tranches_liberables


class _ActionLivrableView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """One action on a livrable, one URL: GET shows its confirmation page with its
    consequence, POST runs its service with the state the user saw, says what followed and
    goes back to the livrable's page. 404 for a livrable the user does not read, 403 for an
    action they may not take."""

    libelle: str
    titre: str = ""
    template_name = "livrables/livrable_action.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.livrable = livrable_de_la_page(request, kwargs["pk"], kwargs["type"])
            refus = self.refus()
            if refus:
                return refus
        return super().dispatch(request, *args, **kwargs)

    @abstractmethod
    def refus(self) -> HttpResponse | None:
        """A redirect with its message when the action is no longer possible, PermissionDenied
        when this user may not take it, None otherwise."""

    @abstractmethod
    def executer(self) -> str:
        """Run the service; return the success message."""

    def consequence(self) -> str:
        return ""

    def vu(self) -> str:
        return self.livrable.statut

    def contexte(self) -> dict[str, Any]:
        return {}

    def impossible(self, message: str) -> HttpResponse:
        messages.error(self.request, message)
        return redirect(url_de(self.livrable))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        livrable = self.livrable
        return render(
            request,
            self.template_name,
            {
                "tranches": None,
                "commentaires": (),
                **self.contexte(),
                "atelier": livrable.atelier,
                "livrable": livrable,
                "libelle": self.libelle,
                "titre": self.titre or f"{self.libelle} ?",
                "consequence": self.consequence(),
                "vu": self.vu(),
                "url": request.path,
                "form": ConfirmationForm(),
                "breadcrumb_data": fil(
                    livrable.atelier,
                    self.libelle,
                    (reverse("livrables:livrables", args=[livrable.atelier_id]), "Livrables"),
                    (url_de(livrable), livrable.get_type_display()),
                ),
            },
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            message = self.executer()
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect(url_de(self.livrable))


class _TransitionView(_ActionLivrableView, metaclass=ABCMeta):
    """An action that is one of the livrable's transitions (`nom`), run by `service`."""

    nom: str
    service: Callable[..., Livrable]

    @abstractmethod
    def message(self, livrable: Livrable) -> str:
        """What the user reads once done."""

    def executer(self) -> str:
        livrable = self.service(
            livrable=self.livrable,
            par=utilisateur(self.request),
            vu=self.request.POST.get("vu", ""),
        )
        return self.message(livrable)

    @property
    def libelle(self) -> str:  # type: ignore[override]
        return TRANSITIONS[self.nom]["libelle"]

    def consequence(self) -> str:
        return TRANSITIONS[self.nom]["consequence"]

    def refus(self) -> HttpResponse | None:
        if not self.request.user.has_perm(REVOIR, self.livrable):
            raise PermissionDenied("Seul le service pilote relit les livrables.")
        if not can_proceed(getattr(self.livrable, self.nom)):
            attente = (
                " Le livret attend l'accord de la DGALN."
                if (self.livrable.statut == S.DEPOSE and self.livrable.attend_accord_dgaln)
                else ""
            )
            return self.impossible(
                f"Cette action n'est pas possible : ce livrable est « "
                f"{self.livrable.get_statut_display()} ».{attente}"
            )
        return None


class CorrectionsDemanderView(_TransitionView):
    nom = "demander_corrections"
    service = staticmethod(corrections_demander)

    def contexte(self) -> dict[str, Any]:
        version = version_en_revue(self.livrable)
        if version is None:
            return {}
        return {
            "commentaires": ancrer(version, [c for c in version.commentaires.all() if not c.envoye])
        }

    def message(self, livrable: Livrable) -> str:
        return (
            f"Corrections demandées : le groupement {livrable.atelier.groupement} est prévenu "
            "et déposera une nouvelle version."
        )


class LivrableValiderView(_TransitionView):
    nom = "valider"
    service = staticmethod(livrable_valider)

    def contexte(self) -> dict[str, Any]:
        tranches = tranches_liberables(self.livrable.atelier_id, jalons_atteints(self.livrable))
        return {"tranches": tranches}

    def message(self, livrable: Livrable) -> str:
        liberees = ", ".join(f"« {t.libelle} »" for t in self.liberables)
        suite = (
            f"la tranche {liberees} est exigible." if liberees else "aucune tranche n'en dépendait."
        )
        return f"Livrable « {livrable.get_type_display()} » validé : {suite}"

    def executer(self) -> str:
        self.liberables = self.contexte()["tranches"]
        return super().executer()


class AccordDonnerView(_ActionLivrableView):
    libelle = "Donner l'accord de la DGALN"

    def consequence(self) -> str:
        return (
            "Le service pilote pourra valider le livret de capitalisation ; il sera publiable "
            "à la clôture de l'atelier."
        )

    def refus(self) -> HttpResponse | None:
        if not self.request.user.has_perm(ACCORDER, self.livrable):
            raise PermissionDenied("Seule la DGALN donne son accord sur le livret.")
        if not peut_accorder(self.livrable, self.request.user):
            return self.impossible("L'accord se donne une fois, sur une version déposée du livret.")
        return None

    def executer(self) -> str:
        if self.request.POST.get("vu", "") != self.livrable.statut:
            raise ActionImpossible("La page n'était plus à jour : rien n'a été enregistré.")
        accord_donner(livrable=self.livrable, par=utilisateur(self.request))
        return "Accord de la DGALN enregistré : le service pilote peut valider le livret."


class CommentaireRetirerView(_ActionLivrableView):
    libelle = "Retirer ce commentaire"

    def refus(self) -> HttpResponse | None:
        self.commentaire = get_object_or_404(
            Commentaire, pk=self.kwargs["commentaire"], version__livrable_id=self.livrable.pk
        )
        if self.commentaire.auteur_id != self.request.user.pk or not self.request.user.has_perm(
            REVOIR, self.livrable
        ):
            raise PermissionDenied("Seul son auteur retire un commentaire.")
        if self.commentaire.envoye:
            return self.impossible(
                "Ce commentaire a été envoyé au groupement : il reste à l'historique."
            )
        return None

    def consequence(self) -> str:
        return "Le commentaire sera effacé ; le groupement ne l'a pas encore lu."

    def contexte(self) -> dict[str, Any]:
        return {"commentaires": ancrer(self.commentaire.version, [self.commentaire])}

    def executer(self) -> str:
        commentaire_retirer(commentaire=self.commentaire, par=utilisateur(self.request))
        return "Commentaire retiré."
