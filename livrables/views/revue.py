"""The review of a livrable in the browser: its page (state, planned date, versions with
their PDF, what changed, the comments and avis), the dépôt of a version, the pilot's
comments, corrections and validation, a collectivité's avis and DGALN's accord. Each action
is offered to who may take it, confirmed on its page, and refused on a page gone stale."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_fsm import can_proceed

from ateliers.models import Atelier, EtapePrevue
from ateliers.services import ActionImpossible
from ateliers.views.cadrage import fil
from candidatures.selectors import documents_des
from comptes.models import Role, Utilisateur
from comptes.selectors import profil
from livrables.contenus import redaction_vide
from livrables.forms.revue import AvisForm, CommentaireForm, DepotForm
from livrables.models import (
    ACCORDER,
    DEPOSER,
    ETAPE_DU_TYPE,
    REVOIR,
    Commentaire,
    Livrable,
    TypeLivrable,
    VersionLivrable,
)
from livrables.pdf import GABARITS
from livrables.selectors import (
    LivrableDeLAtelier,
    avec_commentaires,
    livrable_de,
    version_en_revue,
    versions_de,
)
from livrables.selectors.differences import differences
from livrables.selectors.feuille_route import differences_feuille, feuille_figee
from livrables.services import (
    avis_donner,
    commentaire_ecrire,
    version_deposer,
)

S = Livrable.Statut
TRANSITIONS = {
    t.name: t.custom for t in Livrable._meta.get_field("statut").get_all_transitions(Livrable)
}
AVIS = "livrables.donner_avis_livrable"


def atelier_des_livrables(request: HttpRequest, pk: int) -> Atelier:
    """Atelier `pk`, once in cadrage, if this user reads its livrables; 404 otherwise."""
    atelier = get_object_or_404(
        Atelier.objects.select_related("service_pilote", "groupement").prefetch_related(
            "collectivites"
        ),
        pk=pk,
        cadrage__isnull=False,
    )
    if not request.user.has_perm("livrables.view_livrable", Livrable(atelier=atelier)):
        raise Http404
    return atelier


def livrable_de_la_page(request: HttpRequest, pk: int, type: str) -> Livrable:
    """The livrable of the URL (its row, or an unsaved one « attendu »), or 404."""
    if type not in TypeLivrable.values:
        raise Http404
    return livrable_de(atelier_des_livrables(request, pk), type)


def url_de(livrable: Livrable, nom: str = "livrable", *args: Any) -> str:
    return reverse(f"livrables:{nom}", args=[livrable.atelier_id, livrable.type, *args])


def utilisateur(request: HttpRequest) -> Utilisateur:
    return cast(Utilisateur, request.user)  # LoginRequiredMixin: never anonymous


def actions_livrable(livrable: Livrable, user: Any, derniere: VersionLivrable | None) -> list:
    """What this user may do on the livrable now, each with the page that confirms it: from
    the transitions they may fire, and DGALN's accord on a deposited livret."""
    possibles = {t.name for t in livrable.get_available_user_statut_transitions(user)}  # type: ignore[attr-defined]
    actions = []
    if "deposer" in possibles:
        actions.append(
            {"libelle": "Déposer une version en PDF", "url": url_de(livrable, "deposer")}
        )
        if not redaction_vide(livrable):
            actions.append(
                {"libelle": "Déposer la version rédigée", "url": url_de(livrable, "deposer_redige")}
            )
    en_attente = derniere is not None and any(not c.envoye for c in derniere.commentaires.all())
    if "demander_corrections" in possibles and en_attente:
        actions.append(
            {
                "libelle": TRANSITIONS["demander_corrections"]["libelle"],
                "url": url_de(livrable, "corrections"),
            }
        )
    if "valider" in possibles:
        actions.append(
            {"libelle": TRANSITIONS["valider"]["libelle"], "url": url_de(livrable, "valider")}
        )
    if peut_accorder(livrable, user):
        actions.append(
            {"libelle": "Donner l'accord de la DGALN", "url": url_de(livrable, "accord")}
        )
    return actions


def peut_accorder(livrable: Livrable, user: Any) -> bool:
    return (
        user.has_perm(ACCORDER, livrable)
        and livrable.statut == S.DEPOSE
        and livrable.accord_dgaln_le is None
    )


def collectivites_sans_avis(
    livrable: Livrable, user: Any, version: VersionLivrable | None
) -> list[Any]:
    """The collectivités porteuses this user speaks for that have not given their avis on
    the version under review."""
    if version is None or livrable.statut != S.DEPOSE or not user.has_perm(AVIS, livrable):
        return []
    siennes = profil(user).ids(Role.COLLECTIVITE)
    donnees = {a.collectivite_id for a in version.avis.all()}
    return [
        c for c in livrable.atelier.collectivites.all() if c.pk in siennes and c.pk not in donnees
    ]


def ancrer(version: VersionLivrable, commentaires: Any) -> list[Commentaire]:
    """Say where each comment is anchored, as the reader of the version reads it."""
    titres = {p.get("cle"): p.get("titre") for p in version.contenu.get("parties", [])}
    commentaires = list(commentaires)
    for commentaire in commentaires:
        commentaire.ancre = (
            f"Partie « {titres.get(commentaire.partie, commentaire.partie)} »"
            if commentaire.partie
            else f"Page {commentaire.page}"
            if commentaire.page
            else "Ensemble du livrable"
        )
    return commentaires


# The latest versions the page shows in full (their content, what changed, their comments and
# avis); the older ones are rows of a table, and one of them is shown in full when asked
# (?version=N), so that the page stays bounded however many versions there are.
VERSIONS_DETAILLEES = 3


def _numero_demande(request: HttpRequest) -> int | None:
    """The version asked with ?version=N, if N is a plain number (anything else is ignored)."""
    valeur = request.GET.get("version", "")
    return int(valeur) if valeur.isdigit() and len(valeur) <= 5 else None


def _preparer(
    livrable: Livrable, versions: list[VersionLivrable], demandee: int | None = None
) -> list[VersionLivrable]:
    """What each version shows besides its row: its rendered PDF; and, for the latest ones and
    the one asked, returned newest first, their comments sent (and, for the pilot, those still
    open), each anchored, their content and what changed since the previous one (text, or
    rows of a feuille de route)."""
    rediges = [v for v in versions if v.mode == VersionLivrable.Mode.REDIGE]
    documents = documents_des(rediges, gabarit=GABARITS[livrable.type])
    numeros = [v.numero for v in versions]
    ouverte = demandee if demandee in numeros else (numeros[0] if numeros else None)
    detaillees = avec_commentaires(
        [v for rang, v in enumerate(versions) if rang < VERSIONS_DETAILLEES or v.numero == ouverte]
    )
    for rang, version in enumerate(versions):
        version.livrable = livrable
        version.document = documents.get(version.pk)  # type: ignore[attr-defined]
        version.ouverte = version.numero == ouverte  # type: ignore[attr-defined]
        version.precedente = versions[rang + 1] if rang + 1 < len(versions) else None  # type: ignore[attr-defined]
    for version in detaillees:
        precedente = version.precedente  # type: ignore[attr-defined]
        redigees = precedente is not None and precedente.mode == VersionLivrable.Mode.REDIGE
        feuille = (
            feuille_figee(version.contenu)
            if livrable.type == TypeLivrable.FEUILLE_ROUTE
            and version.mode == VersionLivrable.Mode.REDIGE
            else None
        )
        version.differences = differences(version, precedente)  # type: ignore[attr-defined]
        version.changements = [d for d in version.differences if d.modifiee]  # type: ignore[attr-defined]
        version.feuille = feuille  # type: ignore[attr-defined]
        version.differences_feuille = (  # type: ignore[attr-defined]
            differences_feuille(precedente.contenu, version.contenu)
            if feuille is not None and precedente is not None and redigees
            else None
        )
        commentaires = ancrer(version, version.commentaires.all())
        version.envoyes = [c for c in commentaires if c.envoye]  # type: ignore[attr-defined]
        version.en_attente = [c for c in commentaires if not c.envoye]  # type: ignore[attr-defined]
    return detaillees


def page_livrable(
    request: HttpRequest,
    livrable: Livrable,
    *,
    commentaire_form: CommentaireForm | None = None,
    avis_form: AvisForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The livrable's page, with the forms this user may fill (bound ones kept as typed)."""
    user = request.user
    atelier = livrable.atelier
    versions = list(versions_de(livrable)) if livrable.pk else []
    detaillees = _preparer(livrable, versions, _numero_demande(request))
    derniere = detaillees[0] if detaillees else None
    etape = EtapePrevue.objects.filter(atelier=atelier, nature=ETAPE_DU_TYPE[livrable.type]).first()
    ligne = LivrableDeLAtelier(
        livrable=livrable,
        echeance=etape.date_prevue if etape else None,
        nombre_de_versions=len(versions),
    )
    relit = derniere is not None and livrable.statut == S.DEPOSE and user.has_perm(REVOIR, livrable)
    if relit and derniere is not None and commentaire_form is None:
        commentaire_form = CommentaireForm(parties=derniere.contenu.get("parties", []))
    sans_avis = collectivites_sans_avis(livrable, user, derniere)
    if sans_avis and avis_form is None:
        avis_form = AvisForm(collectivites=sans_avis)
    return render(
        request,
        "livrables/livrable_detail.html",
        {
            "atelier": atelier,
            "livrable": livrable,
            "ligne": ligne,
            "detaillees": detaillees,
            "anterieures": [v for v in versions if v not in detaillees],
            "derniere": derniere,
            "actions": actions_livrable(livrable, user, derniere),
            "relit": relit,
            "commentaire_form": commentaire_form if relit else None,
            "avis_form": avis_form if sans_avis else None,
            "breadcrumb_data": fil(
                atelier,
                livrable.get_type_display(),
                (reverse("livrables:livrables", args=[atelier.pk]), "Livrables"),
            ),
        },
        status=status,
    )


class LivrableView(LoginRequiredMixin, View):
    """One livrable: its state, planned date, versions (the latest open) and what this user
    may do on it."""

    def get(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        return page_livrable(request, livrable_de_la_page(request, pk, type))


def _perimee(request: HttpRequest, livrable: Livrable) -> HttpResponse | None:
    """The page the user acted from showed another state: say so and show the current one."""
    if request.POST.get("vu", "") == livrable.statut:
        return None
    messages.error(
        request,
        f"La page n'était plus à jour : ce livrable est maintenant « "
        f"{livrable.get_statut_display()} ». Rien n'a été enregistré.",
    )
    return redirect(url_de(livrable))


class CommentaireEcrireView(LoginRequiredMixin, View):
    """The pilot notes a correction on the version under review (sent with the request of
    corrections); refused, the page comes back with what was typed."""

    def post(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        livrable = livrable_de_la_page(request, pk, type)
        if not request.user.has_perm(REVOIR, livrable):
            raise PermissionDenied("Seul le service pilote relit les livrables.")
        perimee = _perimee(request, livrable)
        if perimee:
            return perimee
        version = version_en_revue(livrable)
        parties = version.contenu.get("parties", []) if version else []
        form = CommentaireForm(request.POST, parties=parties)
        if not form.is_valid():
            return page_livrable(request, livrable, commentaire_form=form, status=400)
        try:
            commentaire_ecrire(
                livrable=livrable,
                par=utilisateur(request),
                texte=form.cleaned_data["texte"],
                partie=form.cleaned_data.get("partie") or "",
                page=form.cleaned_data.get("page"),
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return page_livrable(request, livrable, commentaire_form=form, status=400)
        messages.success(
            request,
            "Commentaire enregistré : le groupement le lira quand vous demanderez les corrections.",
        )
        return redirect(url_de(livrable) + "#relecture")


class AvisDonnerView(LoginRequiredMixin, View):
    """A collectivité porteuse gives its avis on the version under review."""

    def post(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        livrable = livrable_de_la_page(request, pk, type)
        if not request.user.has_perm(AVIS, livrable):
            raise PermissionDenied("Seules les collectivités porteuses donnent un avis.")
        perimee = _perimee(request, livrable)
        if perimee:
            return perimee
        version = version_en_revue(livrable)
        collectivites = collectivites_sans_avis(livrable, request.user, version)
        if not collectivites:
            messages.error(request, "Votre avis sur cette version est déjà enregistré.")
            return redirect(url_de(livrable))
        form = AvisForm(request.POST, collectivites=collectivites)
        if not form.is_valid():
            return page_livrable(request, livrable, avis_form=form, status=400)
        try:
            avis = avis_donner(
                livrable=livrable,
                par=utilisateur(request),
                collectivite=form.collectivite(),
                sens=form.cleaned_data["sens"],
                texte=form.cleaned_data["texte"],
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return page_livrable(request, livrable, avis_form=form, status=400)
        messages.success(
            request,
            f"Avis {avis.get_sens_display().lower()} de {avis.collectivite} enregistré : le "
            "service pilote en est prévenu.",
        )
        return redirect(url_de(livrable))


class DeposerView(LoginRequiredMixin, View):
    """The groupement deposits a version: a PDF, or (`redige`) what it wrote in the portal;
    after corrections it answers each comment. Refused, the form keeps what was typed."""

    redige = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.livrable = livrable_de_la_page(request, kwargs["pk"], kwargs["type"])
            refus = self.refus()
            if refus:
                return refus
        return super().dispatch(request, *args, **kwargs)

    def refus(self) -> HttpResponse | None:
        if not self.request.user.has_perm(DEPOSER, self.livrable):
            raise PermissionDenied("Seul le groupement titulaire dépose les livrables.")
        if not can_proceed(self.livrable.deposer):
            messages.error(
                self.request,
                f"Ce livrable est « {self.livrable.get_statut_display()} » : il ne se dépose "
                "pas maintenant.",
            )
            return redirect(url_de(self.livrable))
        return None

    def commentaires(self) -> list[Commentaire]:
        """The comments sent on the previous version, still to answer."""
        if self.livrable.statut != S.CORRECTIONS_DEMANDEES:
            return []
        version = version_en_revue(self.livrable)
        if version is None:
            return []
        return ancrer(
            version, [c for c in version.commentaires.all() if c.envoye and not c.repondu_dans_id]
        )

    def formulaire(self, data: Any = None, files: Any = None) -> DepotForm:
        return DepotForm(
            data, files, commentaires=self.commentaires(), avec_fichier=not self.redige
        )

    def page(self, form: DepotForm, status: int = 200) -> HttpResponse:
        livrable = self.livrable
        titre = "Déposer la version rédigée" if self.redige else "Déposer une version en PDF"
        return render(
            self.request,
            "livrables/livrable_deposer.html",
            {
                "atelier": livrable.atelier,
                "livrable": livrable,
                "form": form,
                "titre": titre,
                "redige": self.redige,
                "consequence": TRANSITIONS["deposer"]["consequence"],
                "breadcrumb_data": fil(
                    livrable.atelier,
                    titre,
                    (reverse("livrables:livrables", args=[livrable.atelier_id]), "Livrables"),
                    (url_de(livrable), livrable.get_type_display()),
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        return self.page(self.formulaire())

    def post(self, request: HttpRequest, pk: int, type: str) -> HttpResponse:
        form = self.formulaire(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            version = version_deposer(
                livrable=self.livrable,
                par=utilisateur(request),
                vu=request.POST.get("vu", ""),
                fichier=None if self.redige else form.cleaned_data["fichier"],
                message=form.cleaned_data["message"],
                reponses=form.reponses(),
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.page(form, status=400)
        messages.success(
            request,
            f"Version {version.numero} déposée : le service pilote est prévenu et la relit.",
        )
        return redirect(url_de(self.livrable))
