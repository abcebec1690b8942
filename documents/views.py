"""Downloads and live status of files and documents; each checks the owner's permission."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from documents.models import Document, FichierDepose
from documents.services import document_relancer


def _visible_ou_404(user, modele, permission, uuid):
    """The object if this user may see it; otherwise exactly the 404 of an unknown one."""
    objet = get_object_or_404(modele, uuid=uuid)
    if not user.has_perm(permission, objet):
        raise Http404
    return objet


def _statut(request, document):
    """Render the status block; `suite` is the page the user is on, where a retry returns."""
    suite = request.get_full_path()
    if request.htmx and request.htmx.current_url_abs_path:
        suite = request.htmx.current_url_abs_path
    return render(request, "documents/_statut.html", {"document": document, "suite": suite})


def _piece_jointe(fichier, nom, type_contenu):
    """Send stored bytes as a download that no browser will render or cache."""
    response = FileResponse(
        fichier.open("rb"), as_attachment=True, filename=nom, content_type=type_contenu
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class FichierTelechargerView(LoginRequiredMixin, View):
    def get(self, request, uuid):
        fichier = _visible_ou_404(request.user, FichierDepose, "documents.view_fichierdepose", uuid)
        if not fichier.disponible:
            raise Http404
        return _piece_jointe(fichier.fichier, fichier.nom_original, fichier.type_contenu)


class DocumentTelechargerView(LoginRequiredMixin, View):
    def get(self, request, uuid):
        document = _visible_ou_404(request.user, Document, "documents.view_document", uuid)
        if document.statut != Document.Statut.PRET:
            return render(
                request,
                "documents/document_attente.html",
                {"document": document, "suite": request.get_full_path()},
            )
        return _piece_jointe(document.fichier, document.nom_telechargement, "application/pdf")


class DocumentStatutView(LoginRequiredMixin, View):
    """The status block of a document; htmx polls it until the render is over."""

    def get(self, request, uuid):
        document = _visible_ou_404(request.user, Document, "documents.view_document", uuid)
        return _statut(request, document)


class DocumentRelancerView(LoginRequiredMixin, View):
    """Ask again for a document whose render failed."""

    def post(self, request, uuid):
        document = _visible_ou_404(request.user, Document, "documents.view_document", uuid)
        if document.statut == Document.Statut.ECHEC:
            document = document_relancer(document=document, par=request.user)
        if request.htmx:
            return _statut(request, document)
        suite = request.POST.get("suite", "")
        if not url_has_allowed_host_and_scheme(suite, {request.get_host()}):
            suite = "/"
        return redirect(suite)
