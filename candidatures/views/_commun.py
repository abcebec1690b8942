"""What the candidature's pages share: loading a candidature the user may read, the note's
side menu, the breadcrumb."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from ateliers.selectors import atelier_pour_liste, ateliers_visibles
from candidatures.models import (
    etat_des_parties,
)
from candidatures.sections import (
    depot_ouvert,
)
from candidatures.selectors import (
    candidature_de,
    courriers_actuels,
    etat_des_courriers,
    pieces_manquantes,
)


def candidature_visible(user, pk):
    """The atelier and its candidature if this user may read it; otherwise exactly a 404."""
    atelier = get_object_or_404(atelier_pour_liste(ateliers_visibles(user)), pk=pk)
    candidature = candidature_de(atelier)
    if candidature is None or not user.has_perm("candidatures.view_candidature", candidature):
        raise Http404
    return atelier, candidature


def contexte_note(atelier, candidature, *, user, page_note, courriers=None):
    """What every page of the note shows around its content: the side menu with each part's
    completeness, the letters' and the dépôt's (for whoever may deposit), and the breadcrumb."""
    etats = etat_des_parties(candidature)
    courriers = courriers_actuels(candidature) if courriers is None else courriers
    manquants = pieces_manquantes(candidature, etats=etats, courriers=courriers)
    return {
        "atelier": atelier,
        "candidature": candidature,
        "etats": etats,
        "page_note": page_note,
        "peut_deposer": depot_ouvert(candidature, user),
        "pieces_manquantes": manquants,
        "courriers_manquants": sum(
            1 for ligne in etat_des_courriers(candidature, courriers=courriers) if ligne["manque"]
        ),
    }


def _fil_ariane(atelier, courant):
    return {
        "links": [
            {"url": reverse("portail:ateliers"), "title": "Ateliers"},
            {"url": reverse("portail:atelier", args=[atelier.pk]), "title": atelier.reference},
        ],
        "current": courant,
    }


class CandidatureMixin(LoginRequiredMixin):
    """Load the atelier of the URL and its candidature: 404 for whoever may not read it; then
    `charger()`, for what the page needs beyond them."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.atelier, self.candidature = candidature_visible(request.user, kwargs["pk"])
            self.charger()
        return super().dispatch(request, *args, **kwargs)

    def charger(self):
        pass
