"""The session's pages: what it holds, its steps confirmed one URL each, and the forms of each
role (dates, participants, attendance, compte-rendu). A session the user may not read is a
404; an action they may not take, a 403."""

from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_fsm import can_proceed, has_transition_perm

from ateliers.forms.session import (
    ParticipantForm,
    PresencesForm,
    SessionPlanifierForm,
)
from ateliers.models import PHASES_ACCOMPAGNEMENT, Participant, Session
from ateliers.selectors.session import (
    compte_rendu_de,
    comptes_par_college,
    participants_de,
    pieces_du_compte_rendu,
    session_pour_la_page,
    session_visible,
)
from ateliers.services import ActionImpossible
from ateliers.services.session import (
    session_convoquer,
    session_planifier,
    session_reporter,
    session_tenir,
    session_valider_compte_rendu,
)
from ateliers.services.session_contenu import (
    participant_enregistrer,
    participant_retirer,
    presences_relever,
)
from ateliers.views import ActionConfirmeeView
from comptes.models import Utilisateur

S = Session.Statut
ACTIONS_SESSION = {
    t.name: t.custom for t in Session._meta.get_field("statut").get_all_transitions(Session)
}
# The steps confirmed on their own page; « planifier » has its form of dates and place.
CONFIRMEES: dict[str, Callable[..., Session]] = {
    "convoquer": session_convoquer,
    "tenir": session_tenir,
    "valider_compte_rendu": session_valider_compte_rendu,
    "reporter": session_reporter,
}


def fil_ariane(session: Session, courant: str | None = None) -> dict[str, Any]:
    atelier = session.atelier
    liens = [
        {"url": reverse("portail:ateliers"), "title": "Ateliers"},
        {"url": reverse("portail:atelier", args=[atelier.pk]), "title": atelier.reference},
    ]
    if courant is None:
        return {"links": liens, "current": f"Session {session.numero}"}
    liens.append(
        {
            "url": reverse("ateliers:session", args=[session.pk]),
            "title": f"Session {session.numero}",
        }
    )
    return {"links": liens, "current": courant}


def actions_session(session: Session, user: Any) -> list[dict[str, Any]]:
    """The steps this user may take on the session, forward first, each with its page."""
    actions = []
    for t in session.get_available_user_statut_transitions(user):  # type: ignore[attr-defined]
        url = (
            reverse("ateliers:session_planifier", args=[session.pk])
            if t.name == "planifier"
            else reverse("ateliers:session_action", args=[session.pk, t.name])
        )
        actions.append({"nom": t.name, "url": url, "vu": session.statut, **t.custom})
    return sorted(actions, key=lambda a: bool(a.get("danger")))


def par_de(request: HttpRequest) -> Utilisateur:
    return cast(Utilisateur, request.user)  # LoginRequiredMixin: never anonymous


class SessionView(LoginRequiredMixin, View):
    """The session page: dates and place, programme, logistics, participants counted by
    collège, compte-rendu, and the steps the user may take."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = session_pour_la_page(session_visible(request.user, pk))
        participants = list(participants_de(session))
        compte_rendu = compte_rendu_de(session)
        user = request.user
        # A closed atelier is read-only (its clôture, livrables): no button writes any more.
        ouvert = session.atelier.phase in PHASES_ACCOMPAGNEMENT
        avant_tenue = ouvert and session.statut not in (S.TENUE, S.COMPTE_RENDU_VALIDE)
        tenue = ouvert and session.statut == S.TENUE
        return render(
            request,
            "ateliers/session_detail.html",
            {
                "session": session,
                "atelier": session.atelier,
                "participants": participants,
                "colleges": comptes_par_college(participants),
                "compte_rendu": compte_rendu,
                "pieces": pieces_du_compte_rendu(compte_rendu),
                "actions": actions_session(session, user) if ouvert else [],
                "peut_inviter": user.has_perm("ateliers.inviter_participants", session)
                and avant_tenue,
                "peut_programmer": user.has_perm("ateliers.preparer_session", session)
                and avant_tenue,
                "peut_gerer_logistique": ouvert
                and user.has_perm("ateliers.gerer_logistique", session),
                "peut_relever": tenue and user.has_perm("ateliers.piloter_session", session),
                "peut_rediger": tenue and user.has_perm("ateliers.preparer_session", session),
                "breadcrumb_data": fil_ariane(session),
            },
        )


class SessionActionView(ActionConfirmeeView):
    """One step of a session, named in the URL, confirmed on its page."""

    template_name = "ateliers/session_action.html"
    session: Session

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.session = session_visible(request.user, kwargs["session"])
            kwargs["pk"] = self.session.atelier_id
            self.kwargs = kwargs
        return super().dispatch(request, *args, **kwargs)

    def action(self) -> dict[str, Any]:
        nom = self.kwargs["transition"]
        if nom not in CONFIRMEES:
            raise Http404
        return {
            "nom": nom,
            "url": reverse("ateliers:session_action", args=[self.session.pk, nom]),
            "vu": self.session.statut,
            **ACTIONS_SESSION[nom],
        }

    def refus(self) -> HttpResponse | None:
        methode = getattr(self.session, self.nom)
        if not can_proceed(methode):
            messages.error(
                self.request,
                f"Cette action n'est pas possible : la session est « "
                f"{self.session.get_statut_display()} ».",
            )
            return redirect(self.atelier_url())
        if not has_transition_perm(methode, self.request.user):
            raise PermissionDenied("Vous n'avez pas le droit de faire cette action.")
        return None

    def executer(self, form: Any) -> None:
        kwargs = {"motif": form.cleaned_data["motif"]} if self.nom == "reporter" else {}
        CONFIRMEES[self.nom](session=self.session, par=par_de(self.request), vu=self.vu(), **kwargs)

    def atelier_url(self) -> str:
        return reverse("ateliers:session", args=[self.session.pk])

    def contexte_page(self) -> dict[str, Any]:
        return {"session": self.session}

    def page(self, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "session": self.session,
                "atelier": self.atelier,
                "action": self.action_demandee,
                "form": form,
                "breadcrumb_data": fil_ariane(self.session, self.action_demandee["libelle"]),
            },
            status=status,
        )


class SessionFormView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """A form on a session for who holds `permission` on it (403 otherwise); on success, its
    service runs, a message says so and the session page shows the result."""

    permission = "ateliers.piloter_session"
    template_name = "ateliers/session_form.html"
    titre = ""
    session: Session

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.session = session_visible(request.user, kwargs["pk"])
            if not request.user.has_perm(self.permission, self.session):
                raise PermissionDenied("Vous n'avez pas le droit de faire cette action.")
        return super().dispatch(request, *args, **kwargs)

    @abstractmethod
    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        """The page's forms by name, bound to `data` when posted."""

    @abstractmethod
    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        """Run the service with the valid forms; the message to show."""

    def rendre(self, formulaires: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                **formulaires,
                "session": self.session,
                "atelier": self.session.atelier,
                "titre": self.titre,
                "breadcrumb_data": fil_ariane(self.session, self.titre),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.rendre(self.formulaires())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        formulaires = self.formulaires(request.POST, request.FILES)
        if not all(f.is_valid() for f in formulaires.values()):
            return self.rendre(formulaires, status=400)
        try:
            message = self.enregistrer(formulaires, request.POST.get("vu", ""))
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect(reverse("ateliers:session", args=[self.session.pk]))


class SessionPlanifierView(SessionFormView):
    """The pilot fixes the dates and the place (new ones after a report)."""

    titre = "Planifier la session"

    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        s = self.session
        initial = {
            "date": s.date,
            "nombre_de_jours": s.nombre_de_jours,
            "heure_debut": s.heure_debut,
            "heure_fin": s.heure_fin,
            "lieu": s.lieu,
            "adresse": s.adresse,
            "commune": s.commune,
        }
        return {"form": SessionPlanifierForm(data, initial=initial)}

    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        session_planifier(
            session=self.session,
            par=par_de(self.request),
            vu=vu,
            **formulaires["form"].cleaned_data,
        )
        return "Session planifiée : envoyez les convocations une fois les participants invités."


class ParticipantAjouterView(SessionFormView):
    """The pilot or the groupement invites a person, or corrects an invitation (`ligne` in
    the URL: the participant)."""

    permission = "ateliers.inviter_participants"
    titre = "Inviter un participant"

    def participant(self) -> Participant | None:
        if "ligne" not in self.kwargs:
            return None
        return get_object_or_404(self.session.participants, pk=self.kwargs["ligne"])

    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        invite = self.participant()
        initial = {}
        if invite is not None:
            self.titre = f"Modifier l'invitation de {invite}"
            initial = {
                champ: getattr(invite, champ)
                for champ in ("prenom", "nom", "courriel", "organisation", "college")
            }
        return {"form": ParticipantForm(data, initial=initial)}

    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        invite = self.participant()
        participant = participant_enregistrer(
            session=self.session,
            par=par_de(self.request),
            vu=vu,
            participant=invite,
            **formulaires["form"].cleaned_data,
        )
        if invite is not None:
            return f"L'invitation de {participant} est modifiée."
        return f"{participant} est invité(e) à la session."

    def get(self, request: HttpRequest, pk: int, ligne: int | None = None) -> HttpResponse:
        return super().get(request, pk)

    def post(self, request: HttpRequest, pk: int, ligne: int | None = None) -> HttpResponse:
        return super().post(request, pk)


class RetraitView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """Withdraw one row of a session (a POST from the session page, the state it showed in
    `vu`); the service says whether `par` may."""

    ancre = ""

    @abstractmethod
    def retirer(self, session: Session, pk: int, vu: str) -> str:
        """Run the service on the row `pk` of `session` (404 if not there); the message."""

    def post(self, request: HttpRequest, pk: int, ligne: int) -> HttpResponse:
        session = session_visible(request.user, pk)
        try:
            message = self.retirer(session, ligne, request.POST.get("vu", ""))
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect(reverse("ateliers:session", args=[session.pk]) + f"#{self.ancre}")


class ParticipantRetirerView(RetraitView):
    """Withdraw one invitation."""

    ancre = "participants"

    def retirer(self, session: Session, pk: int, vu: str) -> str:
        invite = get_object_or_404(session.participants, pk=pk)
        participant_retirer(participant=invite, par=par_de(self.request), vu=vu)
        return f"L'invitation de {invite} est retirée."


class PresencesView(SessionFormView):
    """The pilot ticks who came, from the signed sheet."""

    titre = "Relever les présences"
    template_name = "ateliers/session_presences.html"

    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        return {"form": PresencesForm(data, participants=list(participants_de(self.session)))}

    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        presents = presences_relever(
            session=self.session,
            par=par_de(self.request),
            vu=vu,
            presences=formulaires["form"].presences(),
        )
        return f"Présences relevées : {presents} présent(s)."


class FeuilleDePresenceView(LoginRequiredMixin, View):
    """The attendance sheet to print and sign, for whoever reads the session."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = session_visible(request.user, pk)
        return render(
            request,
            "ateliers/session_feuille.html",
            {
                "session": session,
                "atelier": session.atelier,
                "participants": participants_de(session),
            },
        )
