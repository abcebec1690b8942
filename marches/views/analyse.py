"""The « Analyse des offres » page of a round, the marks of one offer (a member's own or the
collegial ones), the rapport d'analyse produced and signed. The panel and DGALN only: a
groupement, or a collectivité that does not carry the atelier, gets a 404."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_fsm import can_proceed, has_transition_perm

from ateliers.services import ActionImpossible
from comptes.models import Utilisateur
from marches.forms import NotesForm
from marches.models import Consultation, MarcheSubsequent, NoteOffre, Offre, RapportAnalyse
from marches.selectors import analyse_de, consultation_analysee, rapport_actuel
from marches.services import offre_noter, rapport_produire, rapport_signer
from marches.services.analyse import criteres_notes, organisation_du_jury
from marches.views._commun import fil_ariane, marche_de


def _peut(user: Any, transition: str, marche: MarcheSubsequent) -> bool:
    methode = getattr(marche, transition)
    return can_proceed(methode) and has_transition_perm(methode, user)


def analyse_contexte(marche: MarcheSubsequent, user: Any) -> dict[str, Any]:
    """What the marché's page shows of the analysis (templates/marches/_analyse_marche.html):
    the link to the analysis, to the attribution and the notification for who may do them, the
    letters of the round."""
    if not user.has_perm("marches.voir_analyse", marche):
        return {"analyse_marche": None}
    consultation = consultation_analysee(marche)
    return {
        "analyse_marche": {
            "consultation": consultation,
            "url": reverse("marches:analyse", args=[marche.pk]),
            "peut_attribuer": _peut(user, "attribuer", marche),
            "peut_notifier": _peut(user, "notifier", marche),
            "lettres": list(
                consultation.lettres.select_related("document", "groupement").order_by(
                    "type", "groupement__nom"
                )
            )
            if consultation is not None
            else [],
        }
    }


class AnalyseMixin(LoginRequiredMixin):
    """The marché among those the user sees (404), its round under analysis, and the right to
    read the analysis (404 as well: nothing tells an outsider the page exists)."""

    request: HttpRequest
    marche: MarcheSubsequent
    consultation: Consultation

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.marche = marche_de(request, kwargs["marche"])
            if not request.user.has_perm("marches.voir_analyse", self.marche):
                raise Http404
            consultation = consultation_analysee(self.marche)
            if consultation is None:
                raise Http404
            self.consultation = consultation
        return super().dispatch(request, *args, **kwargs)

    def par(self) -> Utilisateur:
        return cast(Utilisateur, self.request.user)

    def url_analyse(self) -> str:
        return reverse("marches:analyse", args=[self.marche.pk])

    def fil_ariane(self, courant: str) -> dict[str, Any]:
        """Marchés › the marché › Analyse des offres › `courant`."""
        fil = fil_ariane(self.marche, courant)
        fil["links"].append({"url": self.url_analyse(), "title": "Analyse des offres"})
        return fil


class AnalyseView(AnalyseMixin, View):
    """Every offer of the round: its conformity, its collegial marks and scores, its total
    and rank (ties shown), each member's own marks side by side; the rapport d'analyse."""

    template_name = "marches/analyse_offres.html"

    def get(self, request: HttpRequest, marche: int) -> HttpResponse:
        user = request.user
        analyse = analyse_de(self.consultation)
        rapport = rapport_actuel(self.consultation)
        a_jour = rapport is not None and rapport.empreinte == analyse.empreinte
        organisation = organisation_du_jury(self.par(), self.marche)
        deja_signe = rapport is not None and any(
            s.organisation_id == getattr(organisation, "pk", None) for s in rapport.signatures.all()
        )
        criteres = []
        if analyse.lignes:
            criteres = [c.critere for c in analyse.lignes[0].cellules]
        return render(
            request,
            self.template_name,
            {
                "marche": self.marche,
                "atelier": self.marche.atelier,
                "consultation": self.consultation,
                "analyse": analyse,
                "criteres": criteres,
                "rapport": rapport,
                "rapport_a_jour": a_jour,
                "peut_noter": user.has_perm("marches.noter_offre", self.marche),
                "peut_noter_collegialement": user.has_perm(
                    "marches.noter_collegialement", self.marche
                ),
                "peut_produire": user.has_perm("marches.produire_rapport", self.marche)
                and analyse.complete
                and not a_jour,
                "peut_signer": a_jour
                and organisation is not None
                and not deja_signe
                and user.has_perm("marches.signer_rapport", self.marche),
                "peut_attribuer": _peut(user, "attribuer", self.marche),
                "breadcrumb_data": fil_ariane(self.marche, "Analyse des offres"),
            },
        )


class NoterView(AnalyseMixin, View):
    """The marks of one offer: the user's own, or (collegiale) the panel's that count."""

    template_name = "marches/analyse_noter.html"
    collegiale = False

    def _offre(self) -> Offre:
        return get_object_or_404(
            Offre.objects.select_related("groupement", "version_cctp"),
            pk=self.kwargs["offre"],
            consultation=self.consultation,
        )

    def _verifier(self) -> None:
        permission = "marches.noter_collegialement" if self.collegiale else "marches.noter_offre"
        if not self.request.user.has_perm(permission, self.marche):
            raise PermissionDenied("Vous ne pouvez pas enregistrer ces notes.")

    def _formulaire(self, offre: Offre, data: Any = None) -> NotesForm:
        existantes = NoteOffre.objects.filter(offre=offre, collegiale=self.collegiale)
        if not self.collegiale:
            existantes = existantes.filter(auteur=self.par())
        return NotesForm(
            data,
            criteres=criteres_notes(offre),
            note_maximale=offre.version_cctp.note_maximale,
            existantes={n.critere_id: n for n in existantes},
        )

    def _page(self, offre: Offre, form: NotesForm, status: int = 200) -> HttpResponse:
        champs = form.champs()
        if self.collegiale:
            # Each member's own mark beside the collegial field, to decide from.
            analyse = analyse_de(self.consultation)
            ligne = analyse.ligne(offre.pk)
            cellules = {c.critere.pk: c for c in ligne.cellules} if ligne else {}
            for champ in champs:
                cellule = cellules.get(champ["critere"].pk)
                champ["avis"] = [
                    {"nom": m.nom, "organisation": m.organisation, "note": note}
                    for m, note in zip(
                        analyse.membres, cellule.notes_membres if cellule else [], strict=False
                    )
                ]
        titre = "Notes collégiales" if self.collegiale else "Vos notes"
        return render(
            self.request,
            self.template_name,
            {
                "marche": self.marche,
                "offre": offre,
                "form": form,
                "champs": champs,
                "collegiale": self.collegiale,
                "titre": titre,
                "breadcrumb_data": self.fil_ariane(f"{titre} — {offre.groupement.nom}"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, marche: int, offre: int) -> HttpResponse:
        self._verifier()
        objet = self._offre()
        if objet.exclue:
            messages.error(request, "Cette offre est écartée : elle n'est pas notée.")
            return redirect(self.url_analyse())
        return self._page(objet, self._formulaire(objet))

    def post(self, request: HttpRequest, marche: int, offre: int) -> HttpResponse:
        self._verifier()
        objet = self._offre()
        form = self._formulaire(objet, request.POST)
        if not form.is_valid():
            return self._page(objet, form, status=400)
        try:
            ecrites = offre_noter(
                offre=objet,
                par=self.par(),
                vu=request.POST.get("vu", ""),
                notes=form.notes(),
                collegiale=self.collegiale,
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
            return redirect(self.url_analyse())
        if ecrites:
            quoi = "Notes collégiales" if self.collegiale else "Vos notes"
            messages.success(request, f"{quoi} de l'offre de {objet.groupement.nom} enregistrées.")
        else:
            messages.info(request, "Aucune note n'a changé.")
        return redirect(self.url_analyse())


class NoterCollegialementView(NoterView):
    collegiale = True


class RapportProduireView(AnalyseMixin, View):
    """The pilot prints a new edition of the rapport from the current collegial marks."""

    def post(self, request: HttpRequest, marche: int) -> HttpResponse:
        if not request.user.has_perm("marches.produire_rapport", self.marche):
            raise PermissionDenied("Seul le service pilote produit le rapport d'analyse.")
        try:
            rapport = rapport_produire(
                consultation=self.consultation, par=self.par(), vu=request.POST.get("vu", "")
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Rapport d'analyse n° {rapport.numero} demandé : il apparaît dès qu'il est "
                "prêt, et chaque membre du jury le signe ici.",
            )
        return redirect(self.url_analyse() + "#rapport")


class RapportSignerView(AnalyseMixin, View):
    """A panel member signs the latest edition of the rapport."""

    def post(self, request: HttpRequest, marche: int, rapport: int) -> HttpResponse:
        if not request.user.has_perm("marches.signer_rapport", self.marche):
            raise PermissionDenied("Seuls les membres du jury signent le rapport d'analyse.")
        objet = get_object_or_404(RapportAnalyse, pk=rapport, consultation=self.consultation)
        try:
            signature = rapport_signer(rapport=objet, par=self.par())
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Rapport n° {objet.numero} signé au titre de {signature.organisation}."
            )
        return redirect(self.url_analyse() + "#rapport")


__all__ = [
    "AnalyseView",
    "NoterCollegialementView",
    "NoterView",
    "RapportProduireView",
    "RapportSignerView",
    "analyse_contexte",
]
