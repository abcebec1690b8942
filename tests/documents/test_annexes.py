"""Annexes: stored PDFs whose pages follow a rendered document's own (the signed letters of a
candidature dossier, for example)."""

import io

import pytest
from pypdf import PdfReader

from documents.models import AnnexeDocument, Document, FichierDepose
from documents.rendu import joindre_annexes, rendre
from documents.services import RenduImpossible, document_demander, fichier_deposer
from documents.tasks import document_rendre
from documents.verification import Usage
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import UtilisateurFactory
from tests.documents import fichiers_hostiles as h

pytestmark = pytest.mark.django_db

FICHE = "documents_essai/fiche.html"


@pytest.fixture
def atelier():
    return AtelierFactory(intitule="Vallée de la Dordogne")


@pytest.fixture
def deposant():
    return UtilisateurFactory()


def _lettre(atelier, deposant, nom, contenu=None):
    return fichier_deposer(
        fichier=h.televerse(nom, contenu or h.pdf_une_page(), "application/pdf"),
        par=deposant,
        proprietaire=atelier,
        usage=Usage.COURRIER_SIGNE,
    )


def _demander(atelier, par, annexes, version="1"):
    return document_demander(
        source=atelier,
        gabarit=FICHE,
        titre="Dossier de l'atelier",
        version=version,
        par=par,
        annexes=annexes,
    )


def _rendre(document):
    document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()
    return document


def _lecteur(document):
    with document.fichier.open("rb") as flux:
        return PdfReader(io.BytesIO(flux.read()))


def test_les_pages_des_annexes_suivent_celles_du_document(
    atelier, deposant, django_capture_on_commit_callbacks
):
    soutien = _lettre(atelier, deposant, "Soutien signé.pdf")
    engagement = _lettre(atelier, deposant, "Engagement.pdf", contenu=h.pdf_pypdf(pages=2))
    with django_capture_on_commit_callbacks(execute=True):
        document = _demander(atelier, deposant, [("Lettre de soutien", soutien), engagement])
    document.refresh_from_db()

    assert document.statut == Document.Statut.PRET
    lecteur = _lecteur(document)
    # The fiche renders to 2 pages (cover, content), then 1 + 2 pages of annexes.
    assert document.nombre_pages == len(lecteur.pages) == 5
    textes = [page.extract_text() for page in lecteur.pages]
    assert "Vallée de la Dordogne" in textes[1]
    assert "Courrier sign" in textes[2]
    assert "Courrier sign" not in "".join(textes[:2])
    signets = {
        lecteur.get_destination_page_number(s): s.title
        for s in lecteur.outline
        if not isinstance(s, list)
    }
    assert signets[2] == "Lettre de soutien"
    assert signets[3] == "Engagement.pdf"
    assert [a.titre for a in document.annexes.all()] == ["Lettre de soutien", "Engagement.pdf"]


def test_avec_des_annexes_le_pdf_ne_se_dit_plus_pdf_a(atelier, deposant):
    rendu = rendre(
        '<html lang="fr"><head><title>Dossier</title></head><body><h1>Note</h1></body></html>',
        titre="Dossier",
    )
    assert PdfReader(io.BytesIO(rendu.contenu)).xmp_metadata.pdfaid_part == "3"

    joint = joindre_annexes(rendu, [("Lettre", h.pdf_une_page())])

    lecteur = PdfReader(io.BytesIO(joint.contenu))
    assert joint.nombre_pages == len(lecteur.pages) == 2
    assert lecteur.xmp_metadata.pdfaid_part is None
    assert lecteur.xmp_metadata.dc_title == {"x-default": "Dossier"}
    assert lecteur.trailer["/Root"]["/Lang"] == "fr"
    assert joindre_annexes(rendu, []) is rendu


def test_une_annexe_devenue_indisponible_fait_echouer_sans_nouvel_essai(atelier, deposant):
    lettre = _lettre(atelier, deposant, "Soutien.pdf")
    document = _demander(atelier, deposant, [lettre])
    FichierDepose.objects.filter(pk=lettre.pk).update(analyse=FichierDepose.Analyse.INFECTE)

    with pytest.raises(RenduImpossible, match=r"« Soutien\.pdf »"):
        document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()

    assert document.statut == Document.Statut.ECHEC
    assert document.tentatives == 1
    assert "n'est pas disponible" in document.erreur


def test_redemander_la_meme_version_ne_change_pas_ses_annexes(atelier, deposant):
    premiere = _lettre(atelier, deposant, "Première.pdf")
    seconde = _lettre(atelier, deposant, "Seconde.pdf")
    document = _demander(atelier, deposant, [premiere])
    assert _demander(atelier, deposant, [seconde, premiere]) == document
    assert list(AnnexeDocument.objects.values_list("fichier", flat=True)) == [premiere.pk]


def test_sans_annexe_le_document_reste_celui_du_gabarit(atelier, deposant, media):
    document = _rendre(_demander(atelier, deposant, []))
    assert document.nombre_pages == 2
    assert not document.annexes.exists()
    assert _lecteur(document).xmp_metadata.pdfaid_part == "3"


def test_une_annexe_ne_peut_pas_etre_effacee_tant_qu_un_document_la_joint(atelier, deposant):
    from django.db.models import ProtectedError

    lettre = _lettre(atelier, deposant, "Soutien.pdf")
    _demander(atelier, deposant, [lettre])
    with pytest.raises(ProtectedError):
        lettre.delete()
