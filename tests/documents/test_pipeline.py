"""The render pipeline: services and task, run in-process (Celery's eager mode)."""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from pypdf import PdfReader

from ateliers.models import Atelier
from documents import rendu
from documents.models import Document, chemin_document
from documents.services import (
    RENDU_DEMARRAGES_MAX,
    RenduImpossible,
    document_demander,
    document_echouer,
    document_relancer,
    rendus_bloques_relancer,
)
from documents.services import document_rendre as service_rendre
from documents.tasks import document_rendre
from documents.tasks import rendus_bloques_relancer as tache_bloques
from tests.ateliers.factories import AtelierFactory

pytestmark = pytest.mark.django_db

FICHE = "documents_essai/fiche.html"
CONTEXTE = "ateliers.pdf.contexte_fiche"


@pytest.fixture
def atelier():
    return AtelierFactory(intitule="Vallée de la Dordogne")


class RenduCompte:
    """Wraps rendu.rendre: counts its calls and fails the first `echecs` of them."""

    def __init__(self, echecs=0):
        self.appels, self.echecs = 0, echecs

    def __call__(self, html, *, titre, pieces_jointes=()):
        self.appels += 1
        if self.appels <= self.echecs:
            raise OSError(f"panne de rendu n° {self.appels}")
        return rendu.rendre(html, titre=titre, pieces_jointes=pieces_jointes)


@pytest.fixture
def rendu_compte(monkeypatch):
    def installer(echecs=0):
        compteur = RenduCompte(echecs)
        monkeypatch.setattr("documents.services.rendus.rendre", compteur)
        return compteur

    return installer


def _document(atelier, version="1", gabarit=FICHE):
    return Document.objects.create(
        source_type=ContentType.objects.get_for_model(Atelier),
        source_id=str(atelier.pk),
        gabarit=gabarit,
        contexte=CONTEXTE,
        titre="Fiche de l'atelier",
        version_source=version,
    )


def _rendre(document):
    document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()
    return document


def _fichiers(media):
    return sorted(p for p in Path(media).rglob("*") if p.is_file())


def _texte(chemin):
    return "".join(page.extract_text() for page in PdfReader(chemin).pages)


def test_la_tache_rend_le_document(atelier, media):
    document = _rendre(_document(atelier))

    assert document.statut == Document.Statut.PRET
    assert document.fichier.name == chemin_document(document, "")
    contenu = Path(document.fichier.path).read_bytes()
    assert document.taille == len(contenu)
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()
    assert document.nombre_pages == rendu.compter_pages(contenu) == 2
    assert document.duree_rendu > 0
    assert document.tentatives == 1
    assert document.commence_le <= document.termine_le
    assert document.erreur == ""
    assert "Vallée de la Dordogne" in _texte(document.fichier.path)
    assert _fichiers(media) == [Path(document.fichier.path)]


def test_la_tache_est_idempotente(atelier, media, rendu_compte):
    compteur = rendu_compte()
    document = _document(atelier)

    _rendre(document)
    premier = (document.sha256, document.termine_le)
    _rendre(document)

    assert compteur.appels == 1
    assert (document.sha256, document.termine_le) == premier
    assert document.tentatives == 1
    assert _fichiers(media) == [Path(document.fichier.path)]


def test_un_rendu_qui_echoue_une_fois_est_reessaye(atelier, media, rendu_compte):
    compteur = rendu_compte(echecs=1)

    document = _rendre(_document(atelier))

    assert compteur.appels == 2
    assert document.statut == Document.Statut.PRET
    assert document.tentatives == 2
    assert document.erreur == ""
    assert len(_fichiers(media)) == 1


def test_un_rendu_qui_echoue_toujours_finit_en_echec(atelier, media, rendu_compte):
    compteur = rendu_compte(echecs=100)
    document = _document(atelier)

    with pytest.raises(OSError, match="panne de rendu n° 4"):
        document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()

    assert compteur.appels == 1 + document_rendre.max_retries == 4
    assert document.statut == Document.Statut.ECHEC
    assert document.tentatives == 4
    assert document.erreur == "OSError : panne de rendu n° 4"
    assert document.termine_le is not None
    assert _fichiers(media) == []


def test_un_gabarit_absent_echoue_sans_nouvel_essai(atelier, rendu_compte):
    compteur = rendu_compte()
    document = _document(atelier, gabarit="documents_essai/absent.html")

    with pytest.raises(TemplateDoesNotExist):
        document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()

    assert compteur.appels == 0
    assert document.statut == Document.Statut.ECHEC
    assert document.tentatives == 1
    assert document.erreur.startswith("TemplateDoesNotExist")


def test_une_source_disparue_echoue_sans_nouvel_essai(atelier, rendu_compte):
    compteur = rendu_compte()
    document = _document(atelier)
    Document.objects.filter(pk=document.pk).update(source_id="999999")

    with pytest.raises(RenduImpossible, match="n'existe plus"):
        document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()

    assert compteur.appels == 0
    assert document.statut == Document.Statut.ECHEC
    assert document.tentatives == 1


def test_deux_passages_pour_la_meme_version_laissent_un_seul_fichier(atelier, media):
    document = _document(atelier)
    # A first worker wrote a partial file, then died before marking the document PRET.
    document.commencer()
    document.save()
    document.fichier.save("ignore.pdf", ContentFile(b"%PDF-1.7 tronque"), save=False)
    assert len(_fichiers(media)) == 1

    document = _rendre(document)

    assert document.statut == Document.Statut.PRET
    assert document.tentatives == 2
    assert _fichiers(media) == [Path(document.fichier.path)]
    contenu = Path(document.fichier.path).read_bytes()
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()


def test_le_perdant_d_une_course_entre_deux_workers_ne_fait_rien(atelier, media, monkeypatch):
    """Worker B renders and finishes while worker A is still rendering: A's result is dropped
    and the stored file is B's, the one whose SHA-256 is recorded."""
    document = _document(atelier)
    rendus = []

    def rendu_de_a(html, *, titre, pieces_jointes=()):
        if not rendus:
            rendus.append("A")
            assert service_rendre(document_id=document.pk) is not None
        else:
            rendus.append("B")
        return rendu.rendre(html, titre=titre, pieces_jointes=pieces_jointes)

    monkeypatch.setattr("documents.services.rendus.rendre", rendu_de_a)

    assert service_rendre(document_id=document.pk) is None
    document.refresh_from_db()

    assert rendus == ["A", "B"]
    assert document.statut == Document.Statut.PRET
    assert document.tentatives == 2
    assert _fichiers(media) == [Path(document.fichier.path)]
    contenu = Path(document.fichier.path).read_bytes()
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()


def test_un_rendu_bloque_est_remis_en_file_et_rendu_une_fois(
    atelier, media, django_capture_on_commit_callbacks
):
    bloque, recent = _document(atelier, "1"), _document(atelier, "2")
    for document in (bloque, recent):
        document.commencer()
        document.save()
    # The worker rendering `bloque` died long ago; `recent` is still being rendered.
    depuis = django_settings.DOCUMENTS_RENDU_BLOQUE_MINUTES + 1
    Document.objects.filter(pk=bloque.pk).update(
        commence_le=timezone.now() - timedelta(minutes=depuis)
    )

    with django_capture_on_commit_callbacks(execute=True) as rappels:
        assert rendus_bloques_relancer() == 1
    bloque.refresh_from_db()
    recent.refresh_from_db()

    assert len(rappels) == 1
    assert bloque.statut == Document.Statut.PRET
    assert bloque.tentatives == 2
    assert recent.statut == Document.Statut.EN_COURS
    assert _fichiers(media) == [Path(bloque.fichier.path)]


def test_un_rendu_jamais_commence_est_remis_en_file(
    atelier, media, django_capture_on_commit_callbacks
):
    """The broker was down when the render was asked for: its message never reached a worker."""
    oublie, recent = _document(atelier, "1"), _document(atelier, "2")
    depuis = django_settings.DOCUMENTS_RENDU_BLOQUE_MINUTES + 1
    Document.objects.filter(pk=oublie.pk).update(
        demande_le=timezone.now() - timedelta(minutes=depuis)
    )

    with django_capture_on_commit_callbacks(execute=True) as rappels:
        assert rendus_bloques_relancer() == 1

    assert len(rappels) == 1
    assert Document.objects.get(pk=oublie.pk).statut == Document.Statut.PRET
    assert Document.objects.get(pk=recent.pk).statut == Document.Statut.DEMANDE
    assert _fichiers(media) == [Path(Document.objects.get(pk=oublie.pk).fichier.path)]


def test_la_tache_periodique_compte_les_rendus_remis_en_file(
    atelier, django_capture_on_commit_callbacks
):
    document = _document(atelier)
    document.commencer()
    document.save()
    Document.objects.filter(pk=document.pk).update(commence_le=timezone.now() - timedelta(days=1))

    with django_capture_on_commit_callbacks() as rappels:
        assert tache_bloques.apply().get() == 1
    document.refresh_from_db()

    assert document.statut == Document.Statut.DEMANDE
    assert len(rappels) == 1


def test_un_rendu_qui_tue_son_worker_finit_en_echec(atelier, rendu_compte):
    compteur = rendu_compte()
    document = _document(atelier)
    for _ in range(RENDU_DEMARRAGES_MAX):
        document.commencer()
    document.save()

    document = _rendre(document)

    assert compteur.appels == 0
    assert document.statut == Document.Statut.ECHEC
    assert "Rendu abandonné" in document.erreur


def test_document_demander_deux_fois_met_en_file_une_fois(
    atelier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as rappels:
        premier = document_demander(
            source=atelier, gabarit=FICHE, contexte=CONTEXTE, titre="Fiche", version="v1", par=None
        )
        second = document_demander(
            source=atelier, gabarit=FICHE, contexte=CONTEXTE, titre="Fiche", version="v1", par=None
        )

    assert premier.pk == second.pk
    assert Document.objects.count() == 1
    assert len(rappels) == 1
    assert premier.statut == Document.Statut.DEMANDE


def test_un_courtier_injoignable_ne_fait_pas_echouer_la_demande(
    atelier, broker_injoignable, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        document = document_demander(
            source=atelier, gabarit=FICHE, contexte=CONTEXTE, titre="Fiche", version="v1", par=None
        )

    assert len(rappels) == 1
    document.refresh_from_db()
    assert document.statut == Document.Statut.DEMANDE
    assert "broker injoignable" in caplog.text


def test_une_nouvelle_version_donne_un_nouveau_document(
    atelier, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        v1 = document_demander(
            source=atelier, gabarit=FICHE, contexte=CONTEXTE, titre="Fiche", version=1, par=None
        )
    with django_capture_on_commit_callbacks(execute=True) as rappels_v2:
        v2 = document_demander(
            source=atelier, gabarit=FICHE, contexte=CONTEXTE, titre="Fiche", version=2, par=None
        )
    v1.refresh_from_db()
    v2.refresh_from_db()

    assert v1.pk != v2.pk
    assert (v1.version_source, v2.version_source) == ("1", "2")
    assert len(rappels) == len(rappels_v2) == 1
    assert v1.statut == v2.statut == Document.Statut.PRET
    assert v1.fichier.name != v2.fichier.name
    assert len(_fichiers(media)) == 2


def test_un_document_en_echec_n_est_pas_relance_tout_seul(
    atelier, django_capture_on_commit_callbacks
):
    document = _document(atelier, "v1")
    document_echouer(document_id=document.pk, erreur="panne")

    with django_capture_on_commit_callbacks() as rappels:
        meme = document_demander(
            source=atelier, gabarit=FICHE, contexte=CONTEXTE, titre="Fiche", version="v1", par=None
        )

    assert meme.pk == document.pk
    assert meme.statut == Document.Statut.ECHEC
    assert rappels == []


def test_document_relancer_remet_en_file_un_echec(
    atelier, media, django_capture_on_commit_callbacks
):
    from tests.comptes.factories import UtilisateurFactory

    agent = UtilisateurFactory()
    document = _document(atelier)
    document_echouer(document_id=document.pk, erreur="panne")

    with django_capture_on_commit_callbacks() as rappels:
        relance = document_relancer(document=document, par=agent)

    assert relance.statut == Document.Statut.DEMANDE
    assert (relance.tentatives, relance.erreur, relance.demande_par) == (0, "", agent)
    assert len(rappels) == 1
    rappels[0]()
    relance.refresh_from_db()
    assert relance.statut == Document.Statut.PRET
    assert relance.tentatives == 1


def test_document_relancer_refuse_un_document_qui_n_est_pas_en_echec(atelier):
    document = _document(atelier)

    with pytest.raises(TransitionNotAllowed):
        document_relancer(document=document, par=None)


def test_document_echouer_termine_aussi_un_document_encore_en_file(atelier):
    document = _document(atelier)

    document_echouer(document_id=document.pk, erreur="courtier injoignable")
    document.refresh_from_db()

    assert document.statut == Document.Statut.ECHEC
    assert (document.tentatives, document.erreur) == (1, "courtier injoignable")


def test_document_echouer_laisse_un_document_pret(atelier):
    document = _rendre(_document(atelier))

    assert document_echouer(document_id=document.pk, erreur="trop tard") is None
    document.refresh_from_db()
    assert document.statut == Document.Statut.PRET
