"""Annexes: stored files embedded in a rendered document as PDF/A-3 associated files, and
listed on a page of their own (the signed letters of a candidature dossier, for example)."""

import pytest

from documents.models import AnnexeDocument, Document, FichierDepose
from documents.rendu import PieceJointe, rendre
from documents.services import RenduImpossible, document_demander, fichier_deposer
from documents.tasks import document_rendre
from documents.verification import Usage
from tests.ateliers.factories import AtelierFactory
from tests.documents import fichiers_hostiles as h
from tests.documents.pdfa import lire_pdfa, niveaux_des_titres, verifier_plan

pytestmark = pytest.mark.django_db

FICHE = "documents_essai/fiche.html"
CONTEXTE = "ateliers.pdf.contexte_fiche"


@pytest.fixture
def atelier():
    return AtelierFactory(intitule="Vallée de la Dordogne")


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
        contexte=CONTEXTE,
        titre="Dossier de l'atelier",
        version=version,
        par=par,
        annexes=annexes,
    )


def _rendre(document):
    document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()
    return document


def _contenu(document):
    with document.fichier.open("rb") as flux:
        return flux.read()


def test_les_annexes_sont_jointes_au_pdf_qui_reste_pdf_a_3u_et_balise(
    atelier, deposant, django_capture_on_commit_callbacks
):
    soutien = _lettre(atelier, deposant, "Soutien signé.pdf")
    deux_pages = h.pdf_pypdf(pages=2)
    engagement = _lettre(atelier, deposant, "Engagement.pdf", contenu=deux_pages)
    with django_capture_on_commit_callbacks(execute=True):
        document = _demander(atelier, deposant, [("Lettre de soutien", soutien), engagement])
    document.refresh_from_db()

    assert document.statut == Document.Statut.PRET
    lecteur = lire_pdfa(_contenu(document))
    # The letters are embedded, byte for byte, not appended as pages.
    assert lecteur.attachments["Soutien signé.pdf"] == [h.pdf_une_page()]
    assert lecteur.attachments["Engagement.pdf"] == [deux_pages]
    # WeasyPrint 70 lists each associated file twice in /AF (from the name tree, then from the
    # objects): the same object, so it counts once.
    af = lecteur.trailer["/Root"]["/AF"]
    fichiers = [f.get_object() for f in {f.idnum: f for f in af}.values()]
    assert [(f["/UF"], f["/Desc"], f["/AFRelationship"]) for f in fichiers] == [
        ("Soutien signé.pdf", "Lettre de soutien", "/Supplement"),
        ("Engagement.pdf", "Engagement.pdf", "/Supplement"),
    ]
    assert [f["/EF"]["/F"].get_data() for f in fichiers] == [h.pdf_une_page(), deux_pages]
    # The fiche renders to 2 pages (cover, content), then the page that lists the annexes.
    assert document.nombre_pages == len(lecteur.pages) == 3
    liste = " ".join(lecteur.pages[2].extract_text().split())
    assert "Pièces jointes au fichier" in liste
    assert "Lettre de soutien Soutien signé.pdf PDF" in liste
    assert liste.count("Jointe au fichier") == 2
    assert "Courrier sign" not in " ".join(p.extract_text() for p in lecteur.pages)
    verifier_plan(niveaux_des_titres(lecteur))
    assert [a.titre for a in document.annexes.all()] == ["Lettre de soutien", "Engagement.pdf"]


def test_deux_pieces_du_meme_nom_sont_jointes_toutes_les_deux():
    html = '<html lang="fr"><head><title>Dossier</title></head><body><h1>Note</h1></body></html>'
    premiere, seconde = h.pdf_une_page(), h.pdf_pypdf(pages=2)
    rendu = rendre(
        html,
        titre="Dossier",
        pieces_jointes=[
            PieceJointe(nom="lettre.pdf", description="Première", contenu=premiere),
            PieceJointe(nom="lettre.pdf", description="Seconde", contenu=seconde),
        ],
    )
    lecteur = lire_pdfa(rendu.contenu)
    assert lecteur.attachments == {"lettre.pdf": [premiere], "lettre (2).pdf": [seconde]}
    assert rendu.nombre_pages == len(lecteur.pages) == 1


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
    lecteur = lire_pdfa(_contenu(document))
    assert lecteur.attachments == {}
    assert "Pièces jointes" not in " ".join(p.extract_text() for p in lecteur.pages)


def test_une_annexe_ne_peut_pas_etre_effacee_tant_qu_un_document_la_joint(atelier, deposant):
    from django.db.models import ProtectedError

    lettre = _lettre(atelier, deposant, "Soutien.pdf")
    _demander(atelier, deposant, [lettre])
    with pytest.raises(ProtectedError):
        lettre.delete()
