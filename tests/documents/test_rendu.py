"""The pure rendering layer: the URL fetcher's allow-list and the PDF it produces."""

import io
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from documents.models import Document
from documents.rendu import FetcherPortail, URLRefusee, compter_pages, rendre, rendre_pdf

GABARITS = Path(__file__).parent / "templates"
TEXTE_HOSTILE = '<img src="file:///etc/passwd">'


@pytest.fixture
def gabarits_essai(settings):
    moteur = dict(settings.TEMPLATES[0])
    moteur["DIRS"] = [*moteur["DIRS"], GABARITS]
    settings.TEMPLATES = [moteur, *settings.TEMPLATES[1:]]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _html(gabarit, intitule="Vallée de la Dordogne", titre="Fiche atelier"):
    document = Document(titre=titre, gabarit=gabarit, version_source="1")
    atelier = SimpleNamespace(intitule=intitule)
    return render_to_string(gabarit, {"atelier": atelier, "document": document})


def _rendre(gabarit, intitule="Vallée de la Dordogne", titre="Fiche atelier"):
    return rendre_pdf(_html(gabarit, intitule, titre), titre=titre)


def _lire(fetcher, url):
    reponse = fetcher.fetch(url)
    try:
        return reponse, reponse.read()
    finally:
        reponse.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://exemple.test/x.png",
        "https://exemple.test/x.png",
        "https://portail.invalid.exemple.test/static/css/impression.css",
        "http://portail.invalid/static/css/impression.css",
        "//hote.exemple.test/x",
        "ftp://exemple.test/x",
        "https://portail.invalid/etc/passwd",
        "https://portail.invalid/static/../../../../etc/passwd",
        "https://portail.invalid/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "https://portail.invalid/media/../../etc/passwd",
        "https://portail.invalid/media/%2E%2E/%2E%2E/etc/passwd",
        "https://portail.invalid/static/",
    ],
)
def test_le_fetcher_refuse_tout_le_reste(url, caplog):
    with caplog.at_level(logging.WARNING, logger="documents.rendu"), pytest.raises(URLRefusee):
        FetcherPortail().fetch(url)
    assert "Ressource refusée" in caplog.text


def test_le_fetcher_sert_la_feuille_d_impression():
    reponse, contenu = _lire(FetcherPortail(), "https://portail.invalid/static/css/impression.css")
    assert reponse.content_type == "text/css"
    assert b"@page" in contenu
    assert b"counter(pages)" in contenu


def test_le_fetcher_sert_les_polices_de_django_dsfr():
    _, contenu = _lire(
        FetcherPortail(), "https://portail.invalid/static/dsfr/dist/fonts/Marianne-Bold.woff2"
    )
    assert contenu[:4] == b"wOF2"


def test_le_fetcher_sert_les_fichiers_media(media):
    (media / "images").mkdir()
    (media / "images" / "plan.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    reponse, contenu = _lire(FetcherPortail(), "https://portail.invalid/media/images/plan.svg")
    assert reponse.content_type == "image/svg+xml"
    assert contenu.startswith(b"<svg")


@pytest.mark.parametrize(
    "url",
    [
        "https://portail.invalid/static/css/absente.css",
        "https://portail.invalid/static/css",
        "https://portail.invalid/media/absent.png",
    ],
)
def test_un_fichier_absent_est_une_erreur(url, media):
    with pytest.raises(FileNotFoundError):
        FetcherPortail().fetch(url)


def test_les_url_data_sont_decodees_sans_rien_lire():
    reponse, contenu = _lire(FetcherPortail(), "data:text/plain;base64,QXRlbGllciBMb2NhbA==")
    assert contenu == b"Atelier Local"
    assert reponse.content_type == "text/plain"


def test_un_gabarit_qui_nomme_des_ressources_interdites_ne_les_obtient_pas(gabarits_essai, caplog):
    with caplog.at_level(logging.WARNING):
        pdf = _rendre("documents_essai/ressources_interdites.html", titre="Essai à 100 %")
    refusees = [r.getMessage() for r in caplog.records if r.name == "documents.rendu"]
    weasyprint = [r.getMessage() for r in caplog.records if r.name == "weasyprint"]
    assert weasyprint
    assert all(m.startswith("PDF « Essai à 100 % » : ") for m in weasyprint)
    assert any("file:///etc/passwd" in m for m in refusees)
    assert any("http://exemple.test/x.png" in m for m in refusees)
    assert any("https://exemple.test/y.png" in m for m in refusees)
    assert any("https://hote.exemple.test/z.png" in m for m in refusees)
    texte = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Le rendu continue sans ces ressources." in texte
    assert "root:" not in texte


def test_le_texte_saisi_est_echappe_et_reste_du_texte(gabarits_essai, caplog):
    with caplog.at_level(logging.WARNING, logger="documents.rendu"):
        pdf = _rendre("documents_essai/trois_pages.html", intitule=TEXTE_HOSTILE)
    assert not [r for r in caplog.records if r.name == "documents.rendu"]
    texte = PdfReader(io.BytesIO(pdf)).pages[1].extract_text()
    assert f"Texte saisi : {TEXTE_HOSTILE}" in texte


def test_le_pdf_a_ses_pages_son_titre_et_ses_en_tetes(gabarits_essai):
    pdf = _rendre("documents_essai/trois_pages.html", titre="Dossier « Vallée » n° 1")
    lecteur = PdfReader(io.BytesIO(pdf))
    assert compter_pages(pdf) == len(lecteur.pages) == 3
    couverture, contenu, annexe = (page.extract_text() for page in lecteur.pages)
    assert "RÉPUBLIQUE" in couverture
    assert "Liberté" in couverture and "Fraternité" in couverture
    assert "Dossier « Vallée » n° 1" in couverture
    assert "Page" not in couverture
    assert "Vallée de la Dordogne" in contenu
    assert "Page 2 / 3" in contenu
    assert "Page 3 / 3" in annexe
    assert "Vallée de la Dordogne" in annexe
    assert lecteur.metadata.title == "Dossier « Vallée » n° 1"


def test_le_nombre_de_pages_de_weasyprint_est_celui_d_un_lecteur(gabarits_essai):
    pdf = rendre(_html("documents_essai/trois_pages.html"), titre="Fiche atelier")

    assert pdf.nombre_pages == compter_pages(pdf.contenu) == 3


def test_le_pdf_est_balise_et_archivable(gabarits_essai):
    lecteur = PdfReader(io.BytesIO(_rendre("documents_essai/fiche.html")))
    catalogue = lecteur.trailer["/Root"]
    assert catalogue["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/Lang"] == "fr"
    xmp = lecteur.xmp_metadata
    assert xmp.pdfaid_part == "3"
    assert xmp.pdfaid_conformance == "U"
    assert xmp.dc_title == {"x-default": "Fiche atelier"}


def test_le_pdf_embarque_la_marianne(gabarits_essai):
    lecteur = PdfReader(io.BytesIO(_rendre("documents_essai/fiche.html")))
    polices = {
        str(police.get_object()["/BaseFont"])
        for page in lecteur.pages
        for police in page["/Resources"]["/Font"].values()
    }
    assert polices
    assert all("Marianne" in nom for nom in polices)


def test_un_titre_absent_du_html_est_repris_du_document():
    pdf = rendre_pdf('<html lang="fr"><body><p>Sans titre</p></body></html>', titre="Repli")
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Repli"


def test_le_collecteur_est_en_pause_pendant_le_rendu_seulement(monkeypatch):
    import gc

    from documents import rendu as module

    etats = []
    write_pdf = module.HTML.render

    def render(self, *args, **kwargs):
        etats.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(module.HTML, "render", render)
    assert gc.isenabled()
    rendre('<html lang="fr"><head><title>T</title></head><body><h1>T</h1></body></html>', titre="T")
    assert etats == [False]
    assert gc.isenabled()


@pytest.mark.parametrize(("eager", "collectes"), [(False, 1), (True, 0)])
def test_le_worker_collecte_apres_chaque_rendu_et_gele_une_fois(monkeypatch, eager, collectes):
    from documents import rendu as module
    from documents.tasks import collecter_apres_le_rendu, document_rendre, rendus_bloques_relancer

    appels = []
    monkeypatch.setattr(module.gc, "collect", lambda: appels.append("collect"))
    monkeypatch.setattr(module.gc, "freeze", lambda: appels.append("freeze"))
    monkeypatch.setattr(module, "_gele", False)
    rendu_tache = SimpleNamespace(
        name=document_rendre.name, request=SimpleNamespace(is_eager=eager)
    )
    autre = SimpleNamespace(
        name=rendus_bloques_relancer.name, request=SimpleNamespace(is_eager=False)
    )

    collecter_apres_le_rendu(sender=rendu_tache)
    collecter_apres_le_rendu(sender=rendu_tache)
    collecter_apres_le_rendu(sender=autre)

    assert appels == (["collect", "freeze", "collect"] if collectes else [])
