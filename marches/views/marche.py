"""The list of marchés and the page of one marché."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Q, QuerySet
from django.views.generic import ListView, TemplateView

from ateliers.models import Evenement
from ateliers.selectors.annees import annees_de
from ateliers.views import PageLaPlusProcheMixin
from marches.forms import MarcheFiltreForm
from marches.models import DocumentAccordCadre, MarcheSubsequent
from marches.selectors import marches_visibles
from marches.views._commun import action_marche, fil_ariane, marche_de
from marches.views.analyse import analyse_contexte
from marches.views.cctp import cctp_contexte
from marches.views.finances import finances_contexte
from marches.views.offres import offres_contexte

# The actions of the marché confirmed on a page of their own, by transition: the use cases
# that need more than a confirmation (publishing, attributing…) have their own form there.
URLS_ACTIONS = {
    "classer_sans_suite": "marches:classer_sans_suite",
    "clore_consultation": "marches:clore_consultation",
    "declarer_infructueux": "marches:declarer_infructueux",
    "relancer": "marches:relancer",
}


def actions_du_marche(marche: MarcheSubsequent, user: Any) -> list[dict[str, Any]]:
    """The transitions of the marché this user may fire now, forward ones first."""
    from django.urls import reverse

    from ateliers.forms import action_form

    actions = []
    for t in marche.get_available_user_statut_transitions(user):  # type: ignore[attr-defined]
        if t.name == "clore_consultation" and not _delai_passe(marche):
            continue
        if t.name in URLS_ACTIONS:
            action = action_marche(marche, t.name, reverse(URLS_ACTIONS[t.name], args=[marche.pk]))
            action["form"] = action_form(action, prefix=t.name)
            actions.append(action)
    return sorted(actions, key=lambda a: bool(a.get("danger")))


def _delai_passe(marche: MarcheSubsequent) -> bool:
    """Offers may be closed by hand only once the current round's deadline is past."""
    from django.utils import timezone

    from marches.selectors.consultation import consultation_actuelle

    consultation = consultation_actuelle(marche)
    return consultation is not None and consultation.date_limite <= timezone.now()


class MarcheListView(LoginRequiredMixin, PermissionRequiredMixin, PageLaPlusProcheMixin, ListView):
    """The marchés this user sees, filtered; DGALN sees every one."""

    permission_required = "marches.voir_marches"
    template_name = "marches/marche_list.html"
    context_object_name = "marches"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[MarcheSubsequent]:
        queryset = marches_visibles(self.request.user).exclude(
            statut=MarcheSubsequent.Statut.NOUVEAU
        )
        annees = annees_de(MarcheSubsequent.objects.all(), "ouvert_le")
        self.filtres = MarcheFiltreForm(self.request.GET or None, annees=annees)
        if self.filtres.is_valid():
            data = self.filtres.cleaned_data
            if data["q"]:
                texte = data["q"].strip()
                q = Q(objet__icontains=texte) | Q(atelier__intitule__icontains=texte)
                morceaux = texte.upper().removeprefix("AL-").split("-")
                if morceaux[0].isdigit() and len(morceaux) > 1 and morceaux[1].isdigit():
                    q |= Q(atelier_id=int(morceaux[1]))
                queryset = queryset.filter(q)
            if data["statut"]:
                queryset = queryset.filter(statut=data["statut"])
            if data["accord_cadre"]:
                queryset = queryset.filter(accord_cadre=data["accord_cadre"])
            if data["region"]:
                queryset = queryset.filter(
                    atelier__in=MarcheSubsequent.objects.filter(
                        atelier__departements__region=data["region"]
                    ).values("atelier_id")
                )
            if data["annee"]:
                queryset = queryset.filter(ouvert_le__year=data["annee"])
        return queryset.select_related(
            "atelier", "accord_cadre", "attributaire", "atelier__service_pilote"
        ).order_by("-ouvert_le", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filtres=self.filtres,
            filtres_actifs=any(v for k, v in self.request.GET.items() if k != "page"),
            breadcrumb_data={"current": "Marchés subséquents"},
        )
        return context


class MarcheDetailView(LoginRequiredMixin, TemplateView):
    """One marché: where it stands, what its user may do next, the accord-cadre's documents
    and its history. 404 for a marché the user does not see."""

    template_name = "marches/marche_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        marche = marche_de(self.request, kwargs["pk"])
        user = self.request.user
        documents = []
        if user.has_perm("marches.view_accordcadre", marche.accord_cadre):
            documents = list(
                DocumentAccordCadre.objects.filter(accord_cadre=marche.accord_cadre)
                .select_related("fichier")
                .order_by("type", "titre", "-version")
                .distinct()
            )
            # Only the latest version of each document.
            vus: set[tuple[str, str]] = set()
            documents = [
                d
                for d in documents
                if (d.type, d.titre) not in vus and not vus.add((d.type, d.titre))  # type: ignore[func-returns-value]
            ]
        journal = (
            # Every line about the atelier's marchés: this one, its rounds, offers, letters…
            # and those of an earlier marché classed without follow-up.
            Evenement.objects.filter(atelier=marche.atelier, objet_type__app_label="marches")
            .select_related("par", "organisation")
            .order_by("-date", "-pk")
        )
        context.update(
            marche=marche,
            atelier=marche.atelier,
            actions=actions_du_marche(marche, user),
            documents_accord_cadre=documents,
            journal=journal,
            breadcrumb_data=fil_ariane(marche),
        )
        context.update(finances_contexte(marche, user))
        context.update(cctp_contexte(marche, user))
        context.update(offres_contexte(marche, user))
        context.update(analyse_contexte(marche, user))
        return context
