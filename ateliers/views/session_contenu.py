"""The pages where each role writes its part of a session: the groupement its programme, its
compte-rendu and their pieces, the collectivités porteuses the logistics they pay."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from ateliers.forms.session import (
    CompteRenduForm,
    LigneLogistiqueForm,
    PieceCompteRenduForm,
    PointProgrammeFormSet,
    PropositionFormSet,
)
from ateliers.models import LigneLogistique, Session
from ateliers.selectors.session import compte_rendu_de
from ateliers.services.session_contenu import (
    PointSaisi,
    PropositionSaisie,
    compte_rendu_enregistrer,
    compte_rendu_piece_deposer,
    ligne_logistique_enregistrer,
    ligne_logistique_supprimer,
    programme_enregistrer,
)
from ateliers.views.session import RetraitView, SessionFormView, par_de


class CompteRenduView(SessionFormView):
    """The groupement writes the compte-rendu and its proposals."""

    permission = "ateliers.preparer_session"
    titre = "Rédiger le compte-rendu"
    template_name = "ateliers/session_compte_rendu.html"

    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        compte_rendu = compte_rendu_de(self.session)
        initial = {}
        propositions: list[dict[str, str]] = []
        if compte_rendu is not None:
            initial = {
                champ: getattr(compte_rendu, champ)
                for champ in ("synthese", "enjeux", "decisions", "prochaines_etapes")
            }
            propositions = [
                {"texte": p.texte, "theme": p.theme, "proposee_par": p.proposee_par}
                for p in compte_rendu.propositions.all()
            ]
        return {
            "form": CompteRenduForm(data, initial=initial),
            "propositions": PropositionFormSet(data, initial=propositions, prefix="propositions"),
        }

    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        propositions = [
            PropositionSaisie(
                f.cleaned_data["texte"], f.cleaned_data["theme"], f.cleaned_data["proposee_par"]
            )
            for f in formulaires["propositions"].forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        compte_rendu_enregistrer(
            session=self.session,
            par=par_de(self.request),
            vu=vu,
            propositions=propositions,
            **formulaires["form"].cleaned_data,
        )
        return "Compte-rendu enregistré : le service pilote le valide."


class ProgrammeView(SessionFormView):
    """The groupement writes the agenda, item by item."""

    permission = "ateliers.preparer_session"
    titre = "Écrire le programme"
    template_name = "ateliers/session_programme.html"

    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        points = [
            {
                "intitule": p.intitule,
                "jour": p.jour,
                "heure_debut": p.heure_debut,
                "heure_fin": p.heure_fin,
                "intervenants": p.intervenants,
            }
            for p in self.session.programme.all()
        ]
        return {"points": PointProgrammeFormSet(data, initial=points, prefix="points")}

    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        points = [
            PointSaisi(**{k: v for k, v in f.cleaned_data.items() if k != "DELETE"})
            for f in formulaires["points"].forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        programme_enregistrer(session=self.session, par=par_de(self.request), vu=vu, points=points)
        return "Programme enregistré."


class LogistiqueView(SessionFormView):
    """A collectivité porteuse adds a line it pays, or corrects one (`ligne` in the URL)."""

    permission = "ateliers.gerer_logistique"
    titre = "Logistique de la session"

    def ligne(self) -> LigneLogistique | None:
        if "ligne" not in self.kwargs:
            return None
        return get_object_or_404(self.session.logistique, pk=self.kwargs["ligne"])

    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        ligne = self.ligne()
        initial = {}
        if ligne is not None:
            initial = {
                "poste": ligne.poste,
                "description": ligne.description,
                "payeur": ligne.payeur_id,
                "cout_estime": ligne.cout_estime,
                "cout_reel": ligne.cout_reel,
            }
        collectivites = self.session.atelier.collectivites.all()
        return {"form": LigneLogistiqueForm(data, initial=initial, collectivites=collectivites)}

    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        ligne_logistique_enregistrer(
            session=self.session,
            par=par_de(self.request),
            vu=vu,
            ligne=self.ligne(),
            **formulaires["form"].cleaned_data,
        )
        return "Logistique enregistrée."

    def get(self, request: HttpRequest, pk: int, ligne: int | None = None) -> HttpResponse:
        return super().get(request, pk)

    def post(self, request: HttpRequest, pk: int, ligne: int | None = None) -> HttpResponse:
        return super().post(request, pk)


class LogistiqueSupprimerView(RetraitView):
    """Remove a logistics line that will not be paid."""

    ancre = "logistique"

    def retirer(self, session: Session, pk: int, vu: str) -> str:
        a_retirer = get_object_or_404(session.logistique, pk=pk)
        ligne_logistique_supprimer(ligne=a_retirer, par=par_de(self.request), vu=vu)
        return f"Ligne retirée : {a_retirer}."


class PieceCompteRenduView(SessionFormView):
    """The groupement attaches a photo or a document to the compte-rendu."""

    permission = "ateliers.preparer_session"
    titre = "Joindre une photo ou un document"
    template_name = "ateliers/session_piece.html"

    def formulaires(self, data: Any = None, files: Any = None) -> dict[str, Any]:
        return {"form": PieceCompteRenduForm(data, files)}

    def enregistrer(self, formulaires: dict[str, Any], vu: str) -> str:
        piece = compte_rendu_piece_deposer(
            session=self.session,
            par=par_de(self.request),
            vu=vu,
            fichier=formulaires["form"].cleaned_data["fichier"],
        )
        return f"« {piece} » est joint au compte-rendu."
