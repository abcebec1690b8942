"""Content checks of uploads: the sound files pass, each hostile one gets its French message."""

import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from documents.verification import Usage, bornes, nettoyer_nom, texte_aide, verifier
from tests.documents import fichiers_hostiles as h

COURRIER = Usage.COURRIER_SIGNE
RESSOURCE = Usage.RESSOURCE


def refus(nom, contenu, usage=RESSOURCE, type_contenu="application/octet-stream"):
    with pytest.raises(ValidationError) as erreur:
        verifier(h.televerse(nom, contenu, type_contenu), usage=usage)
    return erreur.value


@pytest.mark.parametrize(
    ("nom", "construire", "usage", "type_contenu", "extension"),
    [
        ("Courrier signé.pdf", h.pdf_une_page, COURRIER, "application/pdf", ".pdf"),
        ("COURRIER.PDF", h.pdf_pypdf, COURRIER, "application/pdf", ".pdf"),
        (
            "compte-rendu.docx",
            h.docx,
            RESSOURCE,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (
            "budget.xlsx",
            h.xlsx,
            RESSOURCE,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        ("note.odt", h.odt, RESSOURCE, "application/vnd.oasis.opendocument.text", ".odt"),
        (
            "budget.ods",
            h.ods,
            RESSOURCE,
            "application/vnd.oasis.opendocument.spreadsheet",
            ".ods",
        ),
        ("carte.png", h.png, RESSOURCE, "image/png", ".png"),
        ("photo.jpg", h.jpeg, RESSOURCE, "image/jpeg", ".jpg"),
        ("photo.jpeg", h.jpeg, RESSOURCE, "image/jpeg", ".jpg"),
        ("ressource.pdf", h.pdf_une_page, RESSOURCE, "application/pdf", ".pdf"),
    ],
)
def test_un_fichier_sain_est_accepte_avec_son_type_detecte(
    nom, construire, usage, type_contenu, extension
):
    resultat = verifier(h.televerse(nom, construire()), usage=usage)

    assert resultat.type_contenu == type_contenu
    assert resultat.extension == extension
    assert resultat.usage == usage


def test_le_nombre_de_pages_d_un_pdf_est_lu():
    assert verifier(h.televerse("a.pdf", h.pdf_pypdf(pages=3)), usage=COURRIER).nombre_pages == 3
    assert verifier(h.televerse("b.pdf", h.pdf_une_page()), usage=COURRIER).nombre_pages == 1


def test_un_fichier_vide_est_refuse():
    assert refus("courrier.pdf", b"", COURRIER).message == "Le fichier est vide."


def test_un_fichier_trop_gros_est_refuse_sans_etre_lu(settings):
    settings.DOCUMENTS_TAILLE_MAX = 1024 * 1024

    class Televersement:
        name, size = "courrier.pdf", 3 * 1024 * 1024 // 2

        def read(self, *args):
            raise AssertionError("la taille se lit sans lire le fichier")

        seek = read

    fichier = Televersement()
    with pytest.raises(ValidationError) as erreur:
        verifier(fichier, usage=COURRIER)

    assert erreur.value.message == ("Ce fichier pèse 1,5 Mo : la taille maximale est de 1 Mo.")


@pytest.mark.parametrize(
    ("nom", "construire", "attendu"),
    [
        ("courrier.pdf", h.page_html, "Le contenu de « courrier.pdf » n'est pas un PDF."),
        ("courrier.pdf", lambda: b"Bonjour, voici mon courrier.", "n'est pas un PDF."),
        ("scan.pdf", h.png, "Le contenu de « scan.pdf » n'est pas un PDF."),
        ("scan.pdf", h.docx, "Le contenu de « scan.pdf » n'est pas un PDF."),
        ("note.docx", h.pdf_une_page, "Le contenu de « note.docx » n'est pas un document Word"),
        ("note.docx", h.zip_avec_un_fichier, "« note.docx » n'est pas un document Word (DOCX)."),
        ("note.odt", h.docx, "n'est pas un document texte OpenDocument (ODT)."),
        ("budget.xlsx", h.docx, "n'est pas un classeur Excel (XLSX)."),
        ("photo.jpg", h.png, "Le contenu de « photo.jpg » n'est pas une image JPEG."),
    ],
)
def test_un_contenu_deguise_par_son_extension_est_refuse(nom, construire, attendu):
    # The browser's word is never taken: it claims whatever the extension says.
    erreur = refus(nom, construire(), RESSOURCE, type_contenu="application/pdf")

    assert erreur.code == "type"
    assert attendu in erreur.message


@pytest.mark.parametrize(
    ("nom", "usage", "formats"),
    [
        ("compte-rendu.docx", COURRIER, "PDF"),
        ("programme.exe", RESSOURCE, "PDF, ODT, DOCX, XLSX, ODS, JPEG ou PNG"),
        ("sans-extension", RESSOURCE, "PDF, ODT, DOCX, XLSX, ODS, JPEG ou PNG"),
    ],
)
def test_un_type_non_prevu_pour_l_usage_est_refuse(nom, usage, formats):
    contenu = h.docx() if nom.endswith(".docx") else b"MZ\x90\x00"

    assert refus(nom, contenu, usage).message == (
        f"Ce type de fichier n'est pas accepté ici : déposez un fichier {formats}."
    )


def test_un_pdf_chiffre_est_refuse():
    assert refus("courrier.pdf", h.pdf_chiffre(), COURRIER).message == (
        "Ce PDF est protégé par un mot de passe : déposez une version sans mot de passe."
    )


@pytest.mark.parametrize(
    "construire",
    [h.pdf_casse, lambda: h.pdf_une_page()[:-300], lambda: b"%PDF-1.7\n" + bytes(2000)],
    ids=["bruit", "tronque", "zeros"],
)
def test_un_pdf_endommage_est_refuse(construire):
    assert refus("courrier.pdf", construire(), COURRIER).message == (
        "Ce PDF est illisible ou endommagé."
    )


def test_un_pdf_sans_page_est_refuse():
    assert refus("courrier.pdf", h.pdf_sans_page(), COURRIER).message == (
        "Ce PDF ne contient aucune page."
    )


def test_une_bombe_pdf_est_refusee():
    # 300 Mo of zeros in a 300 kB content stream.
    erreur = refus("courrier.pdf", h.pdf_bombe(), COURRIER)

    assert erreur.code == "bombe"
    assert "bombe de décompression" in erreur.message


def test_les_flux_d_un_pdf_partagent_une_seule_borne(monkeypatch):
    contenu = h.pdf_bombe(12 * h.MO)
    assert verifier(h.televerse("a.pdf", contenu), usage=COURRIER).nombre_pages == 1

    monkeypatch.setattr(bornes, "DECOMPRESSION_MAX", 10 * h.MO)

    assert refus("a.pdf", contenu, COURRIER).code == "bombe"


def test_un_pdf_qui_epuiserait_pypdf_est_arrete_a_temps(monkeypatch):
    # Left alone, pypdf parses the same array once per xref entry: about a minute here.
    monkeypatch.setattr(bornes, "DUREE_PDF_MAX", 1)

    erreur = refus("courrier.pdf", h.pdf_objets_recycles(), COURRIER)

    assert erreur.code == "trop_complexe"
    assert erreur.message.startswith("Ce PDF est trop complexe pour être vérifié")


def test_un_pdf_qui_demanderait_trop_de_memoire_est_arrete(monkeypatch):
    # Decoding the bomb's stream up to pypdf's limit takes about 150 Mo.
    monkeypatch.setattr(bornes, "MEMOIRE_PDF_MAX", 64 * h.MO)
    assert verifier(h.televerse("a.pdf", h.pdf_une_page()), usage=COURRIER).nombre_pages == 1

    assert refus("courrier.pdf", h.pdf_bombe(), COURRIER).code == "trop_complexe"


def test_un_pdf_aux_objets_innombrables_est_refuse(monkeypatch):
    monkeypatch.setattr(bornes, "OBJETS_PDF_MAX", 3)

    assert refus("courrier.pdf", h.pdf_une_page(), COURRIER).message == (
        "Ce PDF contient plus de 3 objets : il est trop complexe pour être vérifié et ne peut "
        "pas être accepté."
    )


@pytest.mark.parametrize(
    ("nom", "construire"),
    [
        ("courrier.pdf", h.pdf_avec_zip),
        ("courrier.pdf", h.pdf_avec_html),
        ("carte.png", lambda: h.png() + h.zip_avec_un_fichier()),
        ("carte.png", lambda: h.png() + h.zip_vide()),
        ("photo.jpg", lambda: h.jpeg() + h.zip_avec_un_fichier()),
        ("photo.jpg", lambda: h.jpeg() + b"<html><script>alert(1)</script></html>"),
        ("note.docx", lambda: h.docx() + h.pdf_une_page()),
        ("note.odt", lambda: h.odt() + b"\x00" * 100),
    ],
    ids=[
        "pdf+zip",
        "pdf+html",
        "png+zip",
        "png+zip-vide",
        "jpeg+zip",
        "jpeg+html",
        "docx+pdf",
        "odt+remplissage",
    ],
)
def test_un_polyglotte_est_refuse(nom, construire):
    erreur = refus(nom, construire())

    assert erreur.code == "polyglotte"
    assert erreur.message.startswith("Ce fichier cache un autre format")


def test_une_marque_zip_dans_un_flux_pdf_n_est_pas_un_polyglotte():
    assert verifier(h.televerse("a.pdf", h.pdf_avec_zip_dans_un_flux()), usage=COURRIER)


def test_une_bombe_zip_est_refusee_sans_rien_decompresser(monkeypatch):
    def ouverture_interdite(*args, **kwargs):
        raise AssertionError("les tailles déclarées suffisent à refuser")

    contenu = h.docx_bombe()
    monkeypatch.setattr(zipfile.ZipFile, "open", ouverture_interdite)

    erreur = refus("note.docx", contenu)

    assert erreur.code == "bombe"
    assert "bombe de décompression" in erreur.message


def test_une_archive_trop_volumineuse_une_fois_decompressee_est_refusee(monkeypatch):
    monkeypatch.setattr(bornes, "DECOMPRESSION_MAX", 1 * h.MO)
    # Random-looking text: compressed a few times only, but 1.5 Mo once decompressed.
    texte = b"".join(b"%08x " % (n * 2654435761 % 2**32) for n in range(170_000))

    erreur = refus("note.docx", h.docx(membres_en_plus=[("word/annexe.xml", texte)]))

    assert erreur.code == "bombe"


def test_une_archive_aux_membres_innombrables_est_refusee_avant_d_etre_ouverte(monkeypatch):
    monkeypatch.setattr(bornes, "MEMBRES_ZIP_MAX", 20)

    def ouverture_interdite(*args, **kwargs):
        raise AssertionError("le répertoire se compte sans zipfile")

    contenu = h.docx_trop_de_membres(25)
    monkeypatch.setattr(zipfile, "ZipFile", ouverture_interdite)

    assert refus("note.docx", contenu).message == (
        "Ce document contient plus de 20 éléments : il ne peut pas être accepté."
    )


def test_un_document_a_macros_est_refuse():
    erreur = refus("note.docx", h.docx(membres_en_plus=[("word/vbaProject.bin", b"\x00" * 64)]))

    assert erreur.message.startswith("Les documents qui contiennent des macros ne sont pas")


def test_un_odf_au_type_mime_faux_est_refuse():
    contenu = h.odt().replace(
        b"application/vnd.oasis.opendocument.text", b"application/vnd.oasis.opendocument.texx"
    )

    assert refus("note.odt", contenu).code == "type"


def test_un_docx_sans_partie_principale_est_refuse():
    contenu = h.docx().replace(b"word/document.xml", b"word/documenX.xml")

    assert refus("note.docx", contenu).message == (
        "Le contenu de « note.docx » n'est pas un document Word (DOCX)."
    )


def test_un_membre_corrompu_rend_le_document_illisible():
    texte = b"".join(b"%08x " % (n * 2654435761 % 2**32) for n in range(400))
    contenu = bytearray(h.docx(membres_en_plus=[("word/annexe.xml", texte)]))
    # Overwrite bytes inside the last member's compressed data, as a broken transfer would.
    position = contenu.rindex(b"word/annexe.xml", 0, contenu.index(b"PK\x01\x02")) + 15 + 500
    contenu[position : position + 8] = bytes(8)

    assert refus("note.docx", bytes(contenu)).message == "Ce document est illisible ou endommagé."


def test_une_bombe_de_pixels_est_refusee_avant_d_etre_confiee_a_pillow(monkeypatch):
    def ouverture_interdite(*args, **kwargs):
        raise AssertionError("les dimensions se lisent dans l'en-tête")

    monkeypatch.setattr(Image, "open", ouverture_interdite)

    erreur = refus("carte.png", h.png_geant())

    assert erreur.message == (
        "Cette image est trop grande (400 millions de pixels) : réduisez-la à 50 millions de "
        "pixels au plus, puis déposez-la."
    )


def test_une_image_aux_morceaux_innombrables_est_refusee(monkeypatch):
    monkeypatch.setattr(bornes, "MORCEAUX_PNG_MAX", 10)
    contenu = h.png()
    contenu = contenu[:33] + h.morceau_png(b"tEXt", b"a\x00b") * 20 + contenu[33:]

    assert refus("carte.png", contenu).message == "Cette image est illisible ou endommagée."


@pytest.mark.parametrize(
    ("nom", "construire"),
    [("carte.png", lambda: h.png()[:60]), ("photo.jpg", lambda: h.jpeg()[:300])],
)
def test_une_image_tronquee_est_refusee(nom, construire):
    assert refus(nom, construire()).message == "Cette image est illisible ou endommagée."


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\moi\\Délibération n°3 (signée).pdf", "Délibération n_3 _signée.pdf"),
        ("rapport\x00\n\t final.pdf", "rapport final.pdf"),
        ("facture\u202efdp.exe", "facturefdp.exe"),
        (".htaccess", "htaccess"),
        ("   ", "fichier"),
        ("Éléments d’étude.docx", "Éléments d_étude.docx"),
    ],
)
def test_le_nom_d_origine_est_nettoye(nom, attendu):
    assert nettoyer_nom(nom) == attendu


def test_un_nom_trop_long_garde_son_extension():
    nom = nettoyer_nom("a" * 300 + ".pdf")

    assert len(nom) == 150
    assert nom.endswith("a.pdf")


def test_le_texte_d_aide_dit_les_formats_et_la_taille(settings):
    assert texte_aide(COURRIER) == "PDF, 20 Mo au plus"
    settings.DOCUMENTS_TAILLE_MAX = 5 * 1024 * 1024 // 2

    assert texte_aide(RESSOURCE) == "PDF, ODT, DOCX, XLSX, ODS, JPEG ou PNG, 2,5 Mo au plus"


def test_le_nom_cite_dans_un_message_est_le_nom_nettoye():
    message = refus("<img src=x onerror=alert(1)>.pdf", h.png(), COURRIER).message

    assert message == "Le contenu de « img src_x onerror_alert_1.pdf » n'est pas un PDF."
