"""The thread with the porteurs, DGALN's annotations and the colleagues' opinions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from candidatures.forms import (
    AnnotationForm,
    AvisForm,
    DemandeAvisForm,
    MessageForm,
)
from candidatures.models import (
    DemandeAvis,
)
from candidatures.parties import PARTIES
from candidatures.selectors import (
    candidature_de,
    contenu_lisible,
    derniere_version,
    experts_possibles,
    fil_echanges,
)
from candidatures.services import (
    annotation_ecrire,
    avis_demander,
    avis_rendre,
    message_envoyer,
)
from candidatures.views._commun import (
    CandidatureMixin,
    _fil_ariane,
)


class EchangesView(CandidatureMixin, View):
    """The thread between DGALN and the porteurs: read by whoever reads the candidature,
    written by DGALN and the porteurs, attachments through the checked upload path."""

    template_name = "candidatures/echanges.html"

    def _page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "atelier": self.atelier,
                "candidature": self.candidature,
                "fil": fil_echanges(self.candidature),
                "form": form,
                "peut_ecrire": self.request.user.has_perm(
                    "candidatures.echanger", self.candidature
                ),
                "breadcrumb_data": _fil_ariane(self.atelier, "Échanges avec la DGALN"),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._page(MessageForm())

    def post(self, request, pk):
        if not request.user.has_perm("candidatures.echanger", self.candidature):
            raise PermissionDenied("Seuls la DGALN et les porteurs écrivent dans ces échanges.")
        form = MessageForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(form, status=400)
        message_envoyer(
            candidature=self.candidature,
            par=request.user,
            texte=form.cleaned_data["texte"],
            pieces=form.cleaned_data["pieces"],
        )
        messages.success(request, "Message envoyé. Vos interlocuteurs sont prévenus par courriel.")
        return redirect(f"{reverse('candidatures:echanges', args=[pk])}#dernier-message")


class InstructionView(CandidatureMixin, View):
    """DGALN's own side of the dossier: private annotations and colleagues' opinions; nobody
    else may see it."""

    template_name = "candidatures/instruction.html"

    def _autorise(self):
        if not self.request.user.has_perm("candidatures.instruire_candidature", self.candidature):
            raise PermissionDenied("Cette page est réservée à la DGALN.")

    def _page(self, *, annotation=None, demande=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "atelier": self.atelier,
                "candidature": self.candidature,
                "annotations": self.candidature.annotations.select_related("auteur"),
                "demandes": self.candidature.demandes_avis.select_related("expert", "demandeur"),
                "form_annotation": annotation or AnnotationForm(prefix="annotation"),
                "form_avis": demande
                or DemandeAvisForm(
                    prefix="avis",
                    experts=experts_possibles(candidature=self.candidature, sauf=self.request.user),
                ),
                "breadcrumb_data": _fil_ariane(self.atelier, "Instruction interne"),
            },
            status=status,
        )

    def get(self, request, pk):
        self._autorise()
        return self._page()

    def post(self, request, pk):
        self._autorise()
        if "annotation-texte" in request.POST:
            form = AnnotationForm(request.POST, prefix="annotation")
            if not form.is_valid():
                return self._page(annotation=form, status=400)
            annotation_ecrire(
                candidature=self.candidature, par=request.user, texte=form.cleaned_data["texte"]
            )
            messages.success(request, "Annotation enregistrée (visible de la DGALN seulement).")
        else:
            form = DemandeAvisForm(
                request.POST,
                prefix="avis",
                experts=experts_possibles(candidature=self.candidature, sauf=request.user),
            )
            if not form.is_valid():
                return self._page(demande=form, status=400)
            demande = avis_demander(
                candidature=self.candidature,
                par=request.user,
                expert=form.cleaned_data["expert"],
                question=form.cleaned_data["question"],
            )
            messages.success(
                request, f"Avis demandé à {demande.expert.get_full_name()}, prévenu par courriel."
            )
        return redirect("candidatures:instruction", pk=pk)


class AvisView(LoginRequiredMixin, View):
    """The colleague asked for an opinion reads the note and gives it; DGALN reads it."""

    template_name = "candidatures/avis.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.demande = get_object_or_404(
                DemandeAvis.objects.select_related("candidature__atelier", "demandeur", "expert"),
                pk=kwargs["pk"],
            )
            if not request.user.has_perm("candidatures.view_demandeavis", self.demande):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _page(self, form, status=200):
        candidature = candidature_de(self.demande.candidature.atelier)
        version, _ = derniere_version(candidature)
        if version is not None:
            # The colleague judges the dossier DGALN received, not a draft since reopened.
            note = version.contenu["parties"]
        else:
            note = [
                {"titre": p.titre, "lisible": contenu_lisible(p, getattr(candidature, p.attribut))}
                for p in PARTIES
            ]
        return render(
            self.request,
            self.template_name,
            {
                "demande": self.demande,
                "atelier": candidature.atelier,
                "version": version,
                "note": note,
                "form": form,
                "peut_rendre": self.request.user.has_perm("candidatures.rendre_avis", self.demande),
                "breadcrumb_data": {"links": [], "current": "Avis demandé"},
            },
            status=status,
        )

    def get(self, request, pk):
        return self._page(AvisForm())

    def post(self, request, pk):
        if not request.user.has_perm("candidatures.rendre_avis", self.demande):
            raise PermissionDenied("Seul le collègue sollicité rend cet avis, une fois.")
        form = AvisForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        avis_rendre(demande=self.demande, par=request.user, avis=form.cleaned_data["avis"])
        messages.success(request, "Votre avis est transmis à la DGALN.")
        return redirect("candidatures:avis", pk=pk)
