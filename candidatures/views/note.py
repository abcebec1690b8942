"""A part of the note d'opportunité: read, written, saved automatically, merged on a conflict."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from ateliers.models import Atelier
from ateliers.services import ActionImpossible
from candidatures.parties import PARTIES_PAR_SLUG
from candidatures.selectors import (
    candidature_de,
    contenu_lisible,
    historique_partie,
)
from candidatures.services import (
    ConflitDeVersion,
    partie_enregistrer,
)
from candidatures.views._commun import (
    CandidatureMixin,
    _fil_ariane,
    contexte_note,
)


class PartieView(CandidatureMixin, View):
    """One part of the note: read by whoever may see the candidature, written by its porteurs
    while it is being drafted. A save by someone else in between is shown side by side."""

    template_name = "candidatures/partie_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            return render(request, "candidatures/_statut_enregistrement.html", {"etat": "session"})
        return super().dispatch(request, *args, **kwargs)

    def charger(self):
        self.partie = PARTIES_PAR_SLUG.get(self.kwargs["partie"])
        if self.partie is None:
            raise Http404
        self.contenu = getattr(self.candidature, self.partie.attribut)
        self.peut_rediger = self.request.user.has_perm(
            "candidatures.rediger_candidature", self.candidature
        ) and self.candidature.piece_modifiable(self.partie.slug)

    def _initial(self):
        initial = model_to_dict(self.contenu, fields=self.partie.formulaire.ordre)
        initial["version"] = self.contenu.version
        return initial

    def _initial_depuis(self, form):
        """What the user sent, as a new form's initial values: a file just sent is not kept
        (it was not deposited), its row keeps the file deposited before."""
        initial = {}
        for nom, valeur in form.cleaned_data.items():
            if isinstance(valeur, list):
                valeur = [
                    {k: ("" if isinstance(v, UploadedFile) else v) for k, v in ligne.items()}
                    for ligne in valeur
                ]
            if not isinstance(valeur, UploadedFile):
                initial[nom] = valeur
        return initial

    def _page(self, form, *, status=200, conflit=None):
        note = contexte_note(
            self.atelier, self.candidature, user=self.request.user, page_note=self.partie.slug
        )
        return render(
            self.request,
            "candidatures/partie_conflit.html" if conflit else self.template_name,
            {
                **note,
                "partie": self.partie,
                "contenu": conflit or self.contenu,
                "form": form,
                "peut_rediger": self.peut_rediger,
                "manquants": next(
                    e["manquants"] for e in note["etats"] if e["partie"].slug == self.partie.slug
                ),
                "historique": historique_partie(self.contenu),
                "enregistre": contenu_lisible(self.partie, conflit) if conflit else [],
                "breadcrumb_data": _fil_ariane(self.atelier, self.partie.titre),
            },
            status=status,
        )

    def get(self, request, pk, partie):
        form = self.partie.formulaire(
            initial=self._initial(),
            lignes_en_plus=request.GET.getlist("ajouter")[:5],
            contenu=self.contenu,
        )
        if not self.peut_rediger:
            form.lecture_seule()
        return self._page(form)

    def post(self, request, pk, partie):
        if not self.peut_rediger:
            raise PermissionDenied("Vous ne pouvez pas modifier cette candidature.")
        form = self.partie.formulaire(request.POST, request.FILES, contenu=self.contenu)
        if not form.is_valid():
            if request.htmx:
                return self._statut("invalide")
            return self._page(form, status=400)
        champs = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            contenu = partie_enregistrer(
                partie=self.contenu,
                champs=champs,
                version_lue=form.cleaned_data["version"],
                par=request.user,
            )
        except ConflitDeVersion as conflit:
            if request.htmx:
                return self._statut("conflit")
            fusion = self.partie.formulaire(
                initial={**self._initial_depuis(form), "version": conflit.actuelle.version},
                contenu=conflit.actuelle,
            )
            return self._page(fusion, status=409, conflit=conflit.actuelle)
        except ActionImpossible as exc:
            if request.htmx:
                return self._statut("fermee")
            messages.error(request, str(exc))
            return redirect("portail:atelier", pk=self.atelier.pk)
        if request.htmx:
            return self._statut("enregistre", contenu=contenu)
        adresse = reverse("candidatures:partie", args=[self.atelier.pk, self.partie.slug])
        bloc = request.POST.get("ajouter")
        if bloc in self.partie.formulaire.blocs:
            # « Ajouter une ligne » saves the draft, then shows one more empty row, focused.
            nouvelle = len(getattr(contenu, bloc)) + 1
            return redirect(f"{adresse}?ajouter={bloc}#{bloc}-ligne-{nouvelle}")
        messages.success(request, f"« {self.partie.titre} » est enregistrée.")
        return redirect(adresse)

    def _statut(self, etat, contenu=None):
        contexte = {"etat": etat, "contenu": contenu or self.contenu}
        if etat == "enregistre":
            # The side menu comes back with the status: each part's completeness stays true.
            candidature = candidature_de(Atelier.objects.get(pk=self.atelier.pk))
            contexte.update(
                contexte_note(
                    self.atelier, candidature, user=self.request.user, page_note=self.partie.slug
                ),
                oob=True,
            )
        return render(self.request, "candidatures/_statut_enregistrement.html", contexte)
