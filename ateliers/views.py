from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django_fsm import can_proceed, has_transition_perm

from ateliers.forms import TRIS, AtelierFiltreForm, action_form
from ateliers.models import PHASES_EN_COURS, Atelier, Phase
from ateliers.sections import sections_atelier
from ateliers.selectors import (
    a_faire,
    a_traiter_pks,
    atelier_pour_liste,
    ateliers_a_traiter,
    ateliers_visibles,
    demandes_a_traiter,
    fiche_actuelle,
    journal_atelier,
    toutes_les_attentes,
)
from ateliers.services import (
    ACTIONS_PHASE,
    ActionImpossible,
    atelier_changer_phase,
    atelier_demander_fiche,
    etape_de,
)


def actions_proposees(atelier, user, *, toutes=False):
    """The phase changes this user may make, forward actions first. Unless `toutes`, those that
    a stage owns (custom "etape") are left out: that stage offers them."""
    transitions = atelier.get_available_user_phase_transitions(user)
    return sorted(
        (
            {
                "nom": t.name,
                "url": reverse("ateliers:action", args=[atelier.pk, t.name]),
                "vu": atelier.phase,
                **t.custom,
            }
            for t in transitions
            if toutes or not t.custom.get("etape")
        ),
        key=lambda a: bool(a.get("danger")),
    )


# The DSFR stepper shows at most 8 steps: the programme's phases grouped as its documents do.
ETAPES = [
    ("Pré-candidature", [Phase.PRE_CANDIDATURE]),
    ("Candidature et instruction", [Phase.CANDIDATURE, Phase.INSTRUCTION]),
    ("Marché subséquent", [Phase.ELIGIBLE, Phase.MARCHE]),
    ("Lancement et cadrage", [Phase.CADRAGE]),
    ("Session 1 : diagnostic et enjeux", [Phase.SESSION_1]),
    ("Session 2 : stratégie", [Phase.SESSION_2]),
    ("Session 3 : feuille de route", [Phase.SESSION_3]),
    ("Production, restitution et clôture", [Phase.RESTITUTION, Phase.CLOTURE]),
]


def etape(atelier):
    """Where the atelier stands on the programme's path, for the DSFR stepper."""
    phase = atelier.phase_avant_sortie if atelier.est_sorti else atelier.phase
    rang = next(i for i, (_, phases) in enumerate(ETAPES) if phase in phases)
    suivante = ETAPES[rang + 1][0] if rang + 1 < len(ETAPES) and not atelier.est_sorti else ""
    return {
        "current_step_id": rang + 1,
        "current_step_title": Phase(phase).label,
        "next_step_title": suivante,
        "total_steps": len(ETAPES),
    }


class AccueilView(TemplateView):
    template_name = "ateliers/accueil.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            visibles = ateliers_visibles(user)
            attendu = toutes_les_attentes(user)
            a_traiter = list(
                atelier_pour_liste(ateliers_a_traiter(user)).order_by("phase_depuis")[:20]
            )
            libelles = a_faire(a_traiter, attendu)
            for atelier in a_traiter:
                atelier.a_faire = libelles.get(atelier.pk, [])
            compte = visibles.aggregate(
                total=Count("pk"), en_cours=Count("pk", filter=Q(phase__in=PHASES_EN_COURS))
            )
            context.update(
                a_traiter=a_traiter,
                demandes=demandes_a_traiter(user),
                nombre_a_traiter=ateliers_a_traiter(user).count(),
                nombre_en_cours=compte["en_cours"],
                nombre_total=compte["total"],
            )
        return context


class PageLaPlusProcheMixin:
    """For a paginated list: a page number out of range or mistyped shows the nearest page,
    not an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class AtelierListView(LoginRequiredMixin, PageLaPlusProcheMixin, ListView):
    template_name = "ateliers/atelier_list.html"
    context_object_name = "ateliers"
    paginate_by = 25

    def get_queryset(self):
        visibles = ateliers_visibles(self.request.user)
        annees = annees_des_ateliers()
        self.filtres = AtelierFiltreForm(self.request.GET or None, annees=annees)
        self.demandes = []
        self.recherche = False
        queryset = visibles
        tri = "-cree_le"
        if self.filtres.is_valid():
            data = self.filtres.cleaned_data
            if data["q"]:
                queryset = queryset.filter(_recherche(data["q"]))
                self.recherche = True
            if data["phase"]:
                queryset = queryset.filter(phase=data["phase"])
            # Each filter is a subquery on its own table, not visibility again.
            if data["region"]:
                queryset = queryset.filter(
                    pk__in=_par_departement(departement__region=data["region"])
                )
            if data["departement"]:
                queryset = queryset.filter(pk__in=_par_departement(departement=data["departement"]))
            if data["a_traiter"]:
                queryset = queryset.filter(
                    pk__in=a_traiter_pks(toutes_les_attentes(self.request.user))
                )
                self.demandes = demandes_a_traiter(self.request.user)
            if data["annee"]:
                queryset = queryset.filter(cree_le__year=data["annee"])
            tri = data["tri"] or tri
        self.tri = tri
        return atelier_pour_liste(queryset).order_by(tri, "-pk")

    def paginate_queryset(self, queryset, page_size):
        """A search reads the matching ids once, in order, and then the page's rows by pk: the
        text it compares has no index that pays for a few thousand rows, and the count and the
        page would each compare it on every atelier."""
        if not self.recherche:
            return super().paginate_queryset(queryset, page_size)
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True))
        paginator, page, _, autres = super().paginate_queryset(ids, page_size)
        lignes = atelier_pour_liste(Atelier.objects.filter(pk__in=page.object_list)).in_bulk()
        page.object_list = [lignes[pk] for pk in page.object_list]
        return paginator, page, page.object_list, autres

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filtres=self.filtres,
            demandes=self.demandes,
            tri=self.tri,
            colonnes_triables=_colonnes_triables(params, self.tri),
            filtres_actifs=any(v for k, v in self.request.GET.items() if k not in ("page", "tri")),
            breadcrumb_data={"current": "Ateliers"},
        )
        return context


def annees_des_ateliers():
    """The years from the first atelier opened to the last, newest first: two probes of the
    index on `cree_le`, where the distinct years of the visible ateliers cost a pass over them
    on every page of the list."""
    bornes = Atelier.objects.aggregate(premiere=Min("cree_le"), derniere=Max("cree_le"))
    if bornes["premiere"] is None:
        return []
    premiere, derniere = (timezone.localtime(d).year for d in bornes.values())
    return list(range(derniere, premiere - 1, -1))


def _par_departement(**filtre):
    return Atelier.departements.through.objects.filter(**filtre).values("atelier_id")


def _recherche(texte):
    texte = texte.strip()
    q = Q(intitule__icontains=texte) | Q(communes__icontains=texte)
    morceaux = texte.upper().removeprefix("AL-").split("-")
    if morceaux[-1].isdigit():
        q |= Q(pk=int(morceaux[-1]))
    return q


def _colonnes_triables(params, tri_actuel):
    colonnes = {}
    for cle, libelle in TRIS.items():
        croissant = tri_actuel == cle
        p = params.copy()
        p["tri"] = f"-{cle}" if croissant else cle
        colonnes[cle] = {
            "url": "?" + p.urlencode(),
            "libelle": libelle,
            "aria_sort": "ascending"
            if croissant
            else "descending"
            if tri_actuel == f"-{cle}"
            else "none",
        }
    return colonnes


class AtelierDetailView(LoginRequiredMixin, DetailView):
    template_name = "ateliers/atelier_detail.html"
    context_object_name = "atelier"

    def get_queryset(self):
        return atelier_pour_liste(ateliers_visibles(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        atelier = self.object
        sections = sections_atelier(atelier=atelier, user=self.request.user)
        actions = actions_proposees(atelier, self.request.user)
        for action in actions:
            action["form"] = action_form(action, prefix=action["nom"])
        # The phase changes a stage owns are offered by it, with their own page and service.
        actions += [action for section in sections for action in section.actions]
        attendu = toutes_les_attentes(self.request.user)
        ancres = {a.libelle: a.ancre for a in attendu}
        context.update(
            etape=etape(atelier),
            actions=actions,
            actions_a_faire=[a for a in actions if not a.get("danger")],
            autres_actions=[a for a in actions if a.get("danger")],
            journal=journal_page(atelier, self.request.GET.get("page")),
            fiche=fiche_actuelle(atelier),
            sections=sections,
            a_faire=_a_faire_sur_la_page(
                a_faire([atelier], attendu).get(atelier.pk, []), ancres, sections
            ),
            breadcrumb_data={
                "links": [{"url": reverse("ateliers:liste"), "title": "Ateliers"}],
                "current": atelier.reference,
            },
        )
        return context


def _a_faire_sur_la_page(libelles, ancres, sections):
    """What the page asks of the user, when the stages' « à traiter » expects something of them
    here (so the page, the list and its counter agree): the section's own words, if it has
    them, and the way to it."""
    for libelle in libelles:
        section = next((s for s in sections if s.ancre == ancres[libelle]), None)
        if section is not None:
            return {
                "libelles": section.a_faire or (libelle,),
                "titre": section.titre,
                "ancre": section.ancre,
            }
    return None


JOURNAL_PAR_PAGE = 30


def journal_page(atelier, numero):
    """One page of the atelier's journal, the newest first: a long-lived atelier has thousands
    of lines, which made its page megabytes long."""
    return Paginator(journal_atelier(atelier), JOURNAL_PAR_PAGE).get_page(numero)


class AtelierActionView(LoginRequiredMixin, View):
    """Confirm (GET) and make (POST) one change of phase; 404 if unseen, 403 if not allowed.

    Stages that own a phase change ("etape") subclass it: they name the action, run their own
    service and say what followed.
    """

    template_name = "ateliers/atelier_action.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.atelier = get_object_or_404(
                atelier_pour_liste(ateliers_visibles(request.user)), pk=kwargs["pk"]
            )
            self.action = self.action_demandee()
            self.nom = self.action["nom"]
        return super().dispatch(request, *args, **kwargs)

    def action_demandee(self):
        """The phase change named in the URL; one that a stage owns from this phase is a 404."""
        nom = self.kwargs["transition"]
        if nom not in ACTIONS_PHASE or etape_de(self.atelier, nom):
            raise Http404
        return {
            "nom": nom,
            "url": reverse("ateliers:action", args=[self.atelier.pk, nom]),
            "vu": self.atelier.phase,
            **ACTIONS_PHASE[nom],
        }

    def vu(self):
        """The state the user saw, sent back by the form (empty if missing: then refused)."""
        return self.request.POST.get("vu", "")

    def executer(self, form):
        atelier_changer_phase(
            atelier=self.atelier,
            transition=self.nom,
            par=self.request.user,
            vu=self.vu(),
            motif=form.cleaned_data["motif"],
        )

    def message_succes(self):
        return f"{self.action['journal']}."

    def _refus(self):
        methode = getattr(self.atelier, self.nom)
        if not can_proceed(methode):
            messages.error(
                self.request,
                f"Cette action n'est pas possible : l'atelier est à l'étape "
                f"« {self.atelier.get_phase_display()} ».",
            )
            return redirect(self.atelier_url())
        if not has_transition_perm(methode, self.request.user):
            raise PermissionDenied("Vous n'avez pas le droit de faire cette action.")
        return None

    def atelier_url(self):
        return reverse("ateliers:detail", args=[self.atelier.pk])

    def contexte_page(self):
        """What a subclass's confirmation page shows besides the action and its form."""
        return {}

    def _page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                **self.contexte_page(),
                "atelier": self.atelier,
                "action": self.action,
                "form": form,
                "breadcrumb_data": {
                    "links": [
                        {"url": reverse("ateliers:liste"), "title": "Ateliers"},
                        {"url": self.atelier_url(), "title": self.atelier.reference},
                    ],
                    "current": self.action["libelle"],
                },
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self._refus() or self._page(action_form(self.action, prefix=self.nom))

    def post(self, request, *args, **kwargs):
        refus = self._refus()
        if refus:
            return refus
        form = action_form(self.action, request.POST, prefix=self.nom)
        if not form.is_valid():
            return self._page(form, status=400)
        try:
            self.executer(form)
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.message_succes())
        return redirect(self.atelier_url())


class AtelierFicheView(LoginRequiredMixin, View):
    """Ask for the atelier's fiche PDF; whoever may see the atelier may ask for it."""

    def post(self, request, pk):
        atelier = get_object_or_404(ateliers_visibles(request.user), pk=pk)
        atelier_demander_fiche(atelier=atelier, par=request.user)
        messages.success(
            request,
            "La fiche de l'atelier est demandée : elle apparaît dans la partie Documents "
            "dès qu'elle est prête.",
        )
        return redirect(reverse("ateliers:detail", args=[pk]) + "#documents")
