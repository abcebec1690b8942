"""What the livrables' view tests share: a PDF, a dépôt and a review through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livrables.models import PartieRedigee, TypeLivrable
from livrables.selectors import livrable_de
from livrables.services import (
    commentaire_ecrire,
    corrections_demander,
    livrable_ouvrir,
    version_deposer,
)
from tests.documents.fichiers_hostiles import pdf_une_page

NOTE = TypeLivrable.NOTE_CADRAGE


def pdf(nom="note.pdf"):
    return SimpleUploadedFile(nom, pdf_une_page(), content_type="application/pdf")


def url(liv, nom="livrable", type=NOTE, *args):
    return reverse(f"livrables:{nom}", args=[liv.atelier.pk, type, *args])


def deposer(liv, type=NOTE, **kwargs):
    livrable = livrable_de(liv.atelier, type)
    kwargs.setdefault("fichier", pdf())
    return version_deposer(livrable=livrable, par=liv.groupement, vu=livrable.statut, **kwargs)


def rediger(liv, type=NOTE, **parties):
    """Write the parts of the livrable as the groupement would in the portal's editor."""
    livrable = livrable_ouvrir(atelier=liv.atelier, type=type)
    for ordre, (cle, texte) in enumerate(parties.items()):
        PartieRedigee.objects.update_or_create(
            livrable=livrable,
            cle=cle,
            defaults={"titre": cle.capitalize(), "ordre": ordre, "texte": texte},
        )
    return livrable


def commenter(liv, type=NOTE, texte="À préciser.", **ancre):
    return commentaire_ecrire(
        livrable=livrable_de(liv.atelier, type), par=liv.pilote, texte=texte, **ancre
    )


def demander_corrections(liv, type=NOTE):
    livrable = livrable_de(liv.atelier, type)
    return corrections_demander(livrable=livrable, par=liv.pilote, vu=livrable.statut)
