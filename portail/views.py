"""The pages that show several stages at once: the home page, the ateliers list (its « à
traiter » filter reads every stage) and the atelier page. Each reads the stages through
`portail.selectors`, in the programme's order."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Window
from django.http import QueryDict
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from ateliers.forms import TRIS, AtelierFiltreForm, action_form
from ateliers.models import PHASES_ACCOMPAGNEMENT, PHASES_EN_COURS, Atelier, Evenement, Phase
from ateliers.sections import Section
from ateliers.selectors import (
    a_faire,
    a_traiter_pks,
    atelier_lu_parmi_les_visibles,
    atelier_pour_liste,
    ateliers_visibles,
    fiche_actuelle,
    journal_atelier,
    pour_la_page,
)
from ateliers.selectors.alertes import alertes_par_atelier, alertes_pour
from ateliers.selectors.annees import annees_de
from ateliers.views import PageLaPlusProcheMixin, actions_proposees
from comptes.models import AnyUser
from marches.selectors import journal_visible
from portail import selectors


class AccueilView(TemplateView):
    template_name = "portail/accueil.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            visibles = ateliers_visibles(user)
            attendu = selectors.attentes(user)
            # The ids of every atelier waiting, the oldest first, in one query (their number
            # and the 20 shown): the stages' expectations are compiled and run once, and only
            # the rows shown are read, without the organisations a list row shows.
            ids = list(
                visibles.filter(pk__in=a_traiter_pks(attendu))
                .order_by("phase_depuis", "pk")
                .values_list("pk", flat=True)
            )
            a_traiter = list(Atelier.objects.filter(pk__in=ids[:20]).order_by("phase_depuis", "pk"))
            libelles = a_faire(a_traiter, attendu)
            for atelier in a_traiter:
                atelier.a_faire = libelles.get(atelier.pk, [])
            compte = visibles.aggregate(
                total=Count("pk"), en_cours=Count("pk", filter=Q(phase__in=PHASES_EN_COURS))
            )
            # The 10 latest open alerts and, with each, how many there are: one query.
            alertes = list(alertes_pour(user).annotate(nombre=Window(Count("pk")))[:10])
            context.update(
                alertes=alertes,
                nombre_alertes=alertes[0].nombre if alertes else 0,
                a_traiter=a_traiter,
                demandes=selectors.demandes(user),
                nombre_a_traiter=len(ids),
                nombre_en_cours=compte["en_cours"],
                nombre_total=compte["total"],
            )
        return context


class AtelierListView(LoginRequiredMixin, PageLaPlusProcheMixin, ListView):
    template_name = "portail/atelier_list.html"
    context_object_name = "ateliers"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Atelier]:
        user = self.request.user
        annees = annees_des_ateliers()
        self.filtres = AtelierFiltreForm(self.request.GET or None, annees=annees)
        self.demandes: list[Any] = []
        queryset = ateliers_visibles(user)
        tri = "-cree_le"
        if self.filtres.is_valid():
            data = self.filtres.cleaned_data
            if data["q"]:
                queryset = queryset.filter(_recherche(data["q"]))
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
                queryset = queryset.filter(pk__in=a_traiter_pks(selectors.attentes(user)))
                self.demandes = selectors.demandes(user)
            if data["annee"]:
                queryset = queryset.filter(cree_le__year=data["annee"])
            tri = data["tri"] or tri
        self.tri = tri
        # Any filter at all, the user's visibility included: see paginate_queryset.
        self.par_les_ids = bool(queryset.query.where)
        return atelier_pour_liste(queryset).order_by(tri, "-pk")

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, Any, Any, bool]:
        """A filtered list (what the user sees, a search, « à traiter »…) reads the matching ids
        once, in order, and then the page's rows by pk. Otherwise the count and the page would
        each compile and run the filter (the union of the user's routes to their ateliers, the
        stages' expectations of « à traiter », a text compared on every atelier), and the page
        would join the organisations of every matching row before keeping 25. Only the whole
        list (DGALN, admins, no filter) is counted and sliced by the database, on its indexes."""
        if not self.par_les_ids:
            return super().paginate_queryset(queryset, page_size)
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True))
        paginator, page, _, autres = super().paginate_queryset(ids, page_size)
        lignes = atelier_pour_liste(Atelier.objects.filter(pk__in=page.object_list)).in_bulk()
        page.object_list = [lignes[pk] for pk in page.object_list]
        return paginator, page, page.object_list, autres

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The open alerts of the page's rows, in one query, only when some may have any.
        suivis = [a.pk for a in context["ateliers"] if a.phase in PHASES_ACCOMPAGNEMENT]
        alertes = alertes_par_atelier(suivis) if suivis else {}
        for atelier in context["ateliers"]:
            atelier.nombre_alertes = alertes.get(atelier.pk, 0)
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


def annees_des_ateliers() -> list[int]:
    """The years from the first atelier opened to the last, newest first (`annees_de`: two
    probes of the index on `cree_le`)."""
    return annees_de(Atelier.objects.all(), "cree_le")


def _par_departement(**filtre: Any) -> QuerySet[Any, Any]:
    return Atelier.departements.through.objects.filter(**filtre).values("atelier_id")


def _recherche(texte: str) -> Q:
    texte = texte.strip()
    q = Q(intitule__icontains=texte) | Q(communes__icontains=texte)
    morceaux = texte.upper().removeprefix("AL-").split("-")
    if morceaux[-1].isdigit():
        q |= Q(pk=int(morceaux[-1]))
    return q


def _colonnes_triables(params: QueryDict, tri_actuel: str) -> dict[str, dict[str, str]]:
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


def etape(atelier: Atelier) -> dict[str, Any]:
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


class AtelierDetailView(LoginRequiredMixin, DetailView):
    """The atelier: its phase and what it expects of the user, then each stage's part (through
    `portail.selectors.sections`), its documents and its journal."""

    template_name = "portail/atelier_detail.html"
    context_object_name = "atelier"

    def get_queryset(self) -> QuerySet[Atelier]:
        return pour_la_page(atelier_pour_liste(ateliers_visibles(self.request.user)))

    def get_object(self, queryset: QuerySet[Atelier] | None = None) -> Atelier:
        atelier = super().get_object(queryset)
        atelier_lu_parmi_les_visibles(self.request.user, atelier)
        return atelier

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        atelier = self.object
        user = self.request.user
        sections = selectors.sections(atelier, user)
        actions = actions_proposees(atelier, user)
        for action in actions:
            action["form"] = action_form(action, prefix=action["nom"])
        # The phase changes a stage owns are offered by it, with their own page and service.
        actions += [action for section in sections for action in section.actions]
        # Only the expectations done in one of the page's parts can be shown (a phase change,
        # without a part, is a button of its own): the others are not asked about.
        montrees = {section.ancre for section in sections}
        attendu = [a for a in selectors.attentes(user) if a.ancre in montrees]
        ancres = {a.libelle: a.ancre for a in attendu}
        context.update(
            etape=etape(atelier),
            actions=actions,
            actions_a_faire=[a for a in actions if not a.get("danger")],
            autres_actions=[a for a in actions if a.get("danger")],
            journal=journal_page(atelier, self.request.user, self.request.GET.get("page")),
            fiche=fiche_actuelle(atelier),
            sections=sections,
            a_faire=_a_faire_sur_la_page(
                a_faire([atelier], attendu).get(atelier.pk, []), ancres, sections
            ),
            breadcrumb_data={
                "links": [{"url": reverse("portail:ateliers"), "title": "Ateliers"}],
                "current": atelier.reference,
            },
        )
        return context


def _a_faire_sur_la_page(
    libelles: list[str], ancres: dict[str, str], sections: list[Section]
) -> dict[str, Any] | None:
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


def journal_page(atelier: Atelier, user: AnyUser, numero: str | None) -> Page[Evenement]:
    """One page of the atelier's journal as this user may read it (the marché's offers and
    analysis are the panel's: marches.selectors.journal_visible), the newest first: a
    long-lived atelier has thousands of lines, which made its page megabytes long."""
    # Only what a line shows (ateliers/_journal.html): who acted and their organisation are
    # wide rows, read 30 times.
    lignes = journal_atelier(atelier).only(
        "date",
        "libelle",
        "etat_avant_libelle",
        "etat_apres_libelle",
        "commentaire",
        "par__prenom",
        "par__nom",
        "organisation__nom",
    )
    visibles = journal_visible(lignes, user, atelier)
    paginator = Paginator(visibles, JOURNAL_PAR_PAGE)
    if visibles is lignes and hasattr(atelier, "journal_lignes"):
        # Counted with the atelier (`pour_la_page`): the paginator need not count again.
        paginator.__dict__["count"] = atelier.journal_lignes
    return paginator.get_page(numero)
