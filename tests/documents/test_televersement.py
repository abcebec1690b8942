"""One upload path: the form field, the service that stores, the antivirus and its task."""

import hashlib
import html
import re
import socket
import struct
import threading
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from documents import antivirus
from documents.antivirus import AntivirusErreur, AntivirusIndisponible, Verdict, analyser
from documents.forms import FichierField
from documents.models import FichierDepose
from documents.services import fichier_analyser, fichier_deposer
from documents.tasks import fichier_analyser_tache
from documents.verification import Usage
from tests.ateliers.factories import AtelierFactory
from tests.documents import fichiers_hostiles as h

MO = 1024 * 1024

pytestmark = pytest.mark.usefixtures("stockage_temporaire")


class FormulaireCourrier(DsfrBaseForm):
    objet = forms.CharField(label="Objet du courrier")
    courrier = FichierField(label="Courrier signé", usage=Usage.COURRIER_SIGNE)


def rendre(formulaire):
    gabarit = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
    return html.unescape(gabarit.render(Context({"form": formulaire})))


@pytest.mark.parametrize(
    ("nom", "construire", "message"),
    [
        ("courrier.pdf", h.page_html, "Le contenu de « courrier.pdf » n'est pas un PDF."),
        ("courrier.pdf", h.png, "Le contenu de « courrier.pdf » n'est pas un PDF."),
        ("courrier.pdf", lambda: b"", "Le fichier est vide."),
        (
            "courrier.pdf",
            h.pdf_chiffre,
            "Ce PDF est protégé par un mot de passe : déposez une version sans mot de passe.",
        ),
        ("courrier.pdf", h.pdf_casse, "Ce PDF est illisible ou endommagé."),
        (
            "courrier.pdf",
            lambda: h.pdf_une_page() + bytes(2 * MO),
            "la taille maximale est de 1 Mo",
        ),
        ("courrier.docx", h.docx, "déposez un fichier PDF."),
    ],
    ids=["html", "png", "vide", "chiffre", "casse", "trop-gros", "docx"],
)
def test_un_refus_s_affiche_sous_le_champ_et_garde_la_saisie(settings, nom, construire, message):
    settings.DOCUMENTS_TAILLE_MAX = 1 * MO
    formulaire = FormulaireCourrier(
        data={"objet": "Délibération du 3 février"},
        files={"courrier": h.televerse(nom, construire(), "application/pdf")},
    )

    assert not formulaire.is_valid()
    assert list(formulaire.errors) == ["courrier"]
    assert message in formulaire.errors["courrier"][0]
    page = rendre(formulaire)
    assert 'value="Délibération du 3 février"' in page
    erreur = re.search(r'id="id_courrier-desc-error">\s*<p class="fr-error-text">([^<]*)</p>', page)
    assert message in erreur.group(1)


def test_le_champ_annonce_les_formats_et_la_taille(settings):
    page = rendre(FormulaireCourrier())

    assert "PDF, 20 Mo au plus" in page
    assert re.search(r'<input type="file"[^>]*accept=".pdf"', page)
    settings.DOCUMENTS_TAILLE_MAX = 5 * MO
    assert "PDF, 5 Mo au plus" in rendre(FormulaireCourrier())


def test_le_champ_d_une_ressource_accepte_ses_extensions():
    champ = FichierField(usage=Usage.RESSOURCE)

    assert champ.widget.attrs["accept"] == ".pdf,.odt,.docx,.xlsx,.ods,.jpg,.jpeg,.png"
    assert str(champ.help_text) == "PDF, ODT, DOCX, XLSX, ODS, JPEG ou PNG, 20 Mo au plus"


def test_un_fichier_sain_passe_avec_ce_que_la_verification_a_lu():
    formulaire = FormulaireCourrier(
        data={"objet": "Délibération"},
        files={"courrier": h.televerse("courrier.pdf", h.pdf_pypdf(pages=2))},
    )

    assert formulaire.is_valid(), formulaire.errors
    verification = formulaire.cleaned_data["courrier"].verification
    assert (verification.type_contenu, verification.nombre_pages) == ("application/pdf", 2)


@pytest.fixture
def atelier(db):
    return AtelierFactory()


def deposer(atelier, deposant, nom="Délibération n°3 (signée).pdf", contenu=None):
    return fichier_deposer(
        fichier=h.televerse(nom, contenu or h.pdf_une_page(), "application/pdf"),
        par=deposant,
        proprietaire=atelier,
        usage=Usage.COURRIER_SIGNE,
    )


def test_un_fichier_depose_est_range_sous_un_nom_aleatoire(settings, atelier, deposant):
    contenu = h.pdf_une_page()

    depose = FichierDepose.objects.get(pk=deposer(atelier, deposant, contenu=contenu).pk)

    assert re.fullmatch(r"fichiers/[0-9a-f]{2}/[0-9a-f]{32}\.pdf", depose.fichier.name)
    assert depose.uuid.hex in depose.fichier.name
    assert (settings.MEDIA_ROOT / depose.fichier.name).read_bytes() == contenu
    assert depose.nom_original == "Délibération n_3 _signée.pdf"
    assert (depose.extension, depose.type_contenu) == (".pdf", "application/pdf")
    assert depose.taille == len(contenu)
    assert depose.sha256 == hashlib.sha256(contenu).hexdigest()
    assert depose.depose_par == deposant
    assert depose.depose_le is not None
    assert depose.proprietaire == atelier
    assert depose.analyse == FichierDepose.Analyse.NON_DEMANDEE
    assert depose.disponible


def test_l_extension_enregistree_est_celle_du_contenu(atelier, deposant):
    depose = fichier_deposer(
        fichier=h.televerse("PHOTO.JPEG", h.jpeg()),
        par=deposant,
        proprietaire=atelier,
        usage=Usage.RESSOURCE,
    )

    assert depose.extension == ".jpg"
    assert depose.fichier.name.endswith(".jpg")


def test_un_fichier_refuse_n_est_pas_stocke(settings, atelier, deposant):
    with pytest.raises(ValidationError):
        deposer(atelier, deposant, contenu=h.page_html())

    assert not FichierDepose.objects.exists()
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_le_depot_reprend_la_verification_du_formulaire(atelier, deposant):
    formulaire = FormulaireCourrier(
        data={"objet": "Délibération"},
        files={"courrier": h.televerse("courrier.pdf", h.pdf_une_page())},
    )
    assert formulaire.is_valid()

    with mock.patch("documents.services.fichiers.verifier") as verifier:
        fichier_deposer(
            fichier=formulaire.cleaned_data["courrier"],
            par=deposant,
            proprietaire=atelier,
            usage=Usage.COURRIER_SIGNE,
        )

    verifier.assert_not_called()


def test_avec_l_antivirus_le_fichier_attend_son_analyse(
    settings, atelier, deposant, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_CLAMD = "/run/clamav/clamd.ctl"

    with django_capture_on_commit_callbacks() as rappels:
        depose = deposer(atelier, deposant)

    assert len(rappels) == 1
    depose = FichierDepose.objects.get(pk=depose.pk)
    assert depose.analyse == FichierDepose.Analyse.EN_COURS
    assert depose.get_analyse_display() == "En cours d'analyse"
    assert not depose.disponible
    with mock.patch("documents.tasks.fichiers.fichier_analyser_tache") as tache:
        rappels[0]()
    assert tache.apply_async.call_args.kwargs["kwargs"] == {"fichier_id": depose.pk}


def test_un_fichier_sain_devient_disponible(
    settings, atelier, deposant, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_CLAMD = "/run/clamav/clamd.ctl"
    with (
        mock.patch.object(antivirus, "analyser", return_value=Verdict(True, "")) as analyse,
        django_capture_on_commit_callbacks(execute=True),
    ):
        depose = deposer(atelier, deposant)

    analyse.assert_called_once()
    depose = FichierDepose.objects.get(pk=depose.pk)
    assert depose.analyse == FichierDepose.Analyse.SAIN
    assert depose.analyse_le is not None
    assert depose.disponible


def test_un_fichier_infecte_n_est_jamais_servi_et_ses_octets_sont_effaces(
    settings, atelier, deposant, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_CLAMD = "/run/clamav/clamd.ctl"
    with django_capture_on_commit_callbacks():
        depose = deposer(atelier, deposant)
    chemin = settings.MEDIA_ROOT / depose.fichier.name
    assert chemin.exists()

    verdict = Verdict(False, "Eicar-Test-Signature")
    with (
        mock.patch.object(antivirus, "analyser", return_value=verdict),
        django_capture_on_commit_callbacks(execute=True),
    ):
        fichier_analyser(fichier=depose)

    depose = FichierDepose.objects.get(pk=depose.pk)
    assert depose.analyse == FichierDepose.Analyse.INFECTE
    assert depose.analyse_resultat == "Eicar-Test-Signature"
    assert not depose.disponible
    assert not depose.fichier
    assert not chemin.exists()


def test_une_analyse_restee_en_attente_est_relancee(
    settings, atelier, deposant, django_capture_on_commit_callbacks
):
    """clamd was down past the task's retries: beat queues the scan again, once it answers."""
    from documents.services import analyses_en_attente_relancer

    settings.DOCUMENTS_CLAMD = "/run/clamav/clamd.ctl"
    with django_capture_on_commit_callbacks():
        oublie = deposer(atelier, deposant)
        recent = deposer(atelier, deposant)
    FichierDepose.objects.filter(pk=oublie.pk).update(
        depose_le=timezone.now() - timedelta(hours=settings.DOCUMENTS_ANALYSE_RELANCE_HEURES + 1)
    )

    with (
        mock.patch.object(antivirus, "analyser", return_value=Verdict(True, "")),
        django_capture_on_commit_callbacks(execute=True) as rappels,
    ):
        assert analyses_en_attente_relancer() == 1

    assert len(rappels) == 1
    assert FichierDepose.objects.get(pk=oublie.pk).analyse == FichierDepose.Analyse.SAIN
    assert FichierDepose.objects.get(pk=recent.pk).analyse == FichierDepose.Analyse.EN_COURS
    assert "documents.analyses_en_attente_relancer" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_un_fichier_deja_analyse_ne_l_est_pas_deux_fois(atelier, deposant):
    depose = deposer(atelier, deposant)

    with mock.patch.object(antivirus, "analyser") as analyse:
        fichier_analyser(fichier=depose)

    analyse.assert_not_called()
    assert FichierDepose.objects.get(pk=depose.pk).analyse == FichierDepose.Analyse.NON_DEMANDEE


def test_la_tache_d_analyse_survit_a_son_worker():
    assert fichier_analyser_tache.name == "documents.fichier_analyser"
    assert fichier_analyser_tache.acks_late
    assert fichier_analyser_tache.reject_on_worker_lost
    assert fichier_analyser_tache.max_retries == 8
    assert issubclass(AntivirusIndisponible, fichier_analyser_tache.autoretry_for)


def test_la_tache_reessaie_quand_clamd_est_injoignable(
    settings, atelier, deposant, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_CLAMD = "/run/clamav/clamd.ctl"
    with django_capture_on_commit_callbacks():
        depose = deposer(atelier, deposant)

    with (
        mock.patch.object(antivirus, "analyser", side_effect=AntivirusIndisponible("refusé")),
        pytest.raises(Retry),
    ):
        fichier_analyser_tache.apply(kwargs={"fichier_id": depose.pk})

    depose = FichierDepose.objects.get(pk=depose.pk)
    assert depose.analyse == FichierDepose.Analyse.EN_COURS


def test_la_tache_ne_reessaie_pas_un_refus_de_clamd(
    settings, atelier, deposant, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_CLAMD = "/run/clamav/clamd.ctl"
    with django_capture_on_commit_callbacks():
        depose = deposer(atelier, deposant)

    with (
        mock.patch.object(antivirus, "analyser", side_effect=AntivirusErreur("trop gros")),
        pytest.raises(AntivirusErreur),
    ):
        fichier_analyser_tache.apply(kwargs={"fichier_id": depose.pk})


class FauxClamd:
    """A clamd that reads one INSTREAM and answers as told, on a unix socket or TCP."""

    def __init__(self, chemin=None, *, reponse=None, muet=False):
        famille = socket.AF_UNIX if chemin else socket.AF_INET
        self.serveur = socket.socket(famille, socket.SOCK_STREAM)
        self.serveur.bind(str(chemin) if chemin else ("127.0.0.1", 0))
        self.serveur.listen(1)
        self.serveur.settimeout(5)
        port = None if chemin else self.serveur.getsockname()[1]
        self.adresse = str(chemin) if chemin else f"tcp://127.0.0.1:{port}"
        self.reponse, self.muet = reponse, muet
        self.commande, self.recu, self.morceaux = b"", b"", []
        self.fin = threading.Event()
        self.fil = threading.Thread(target=self._servir)

    def __enter__(self):
        self.fil.start()
        return self

    def __exit__(self, *exc):
        self.fin.set()
        self.fil.join(5)
        self.serveur.close()

    def _servir(self):
        try:
            connexion, _ = self.serveur.accept()
        except OSError:
            return
        with connexion:
            self.commande = self._lire(connexion, 10)
            recu = bytearray()
            while longueur := struct.unpack(">I", self._lire(connexion, 4))[0]:
                self.morceaux.append(longueur)
                recu += self._lire(connexion, longueur)
            self.recu = bytes(recu)
            if self.muet:
                self.fin.wait(5)
                return
            if self.reponse is None:
                trouve = h.EICAR in self.recu
                self.reponse = b"stream: Eicar-Test-Signature FOUND" if trouve else b"stream: OK"
            connexion.sendall(self.reponse + b"\0")

    @staticmethod
    def _lire(connexion, taille):
        donnees = b""
        while len(donnees) < taille:
            morceau = connexion.recv(taille - len(donnees))
            if not morceau:
                raise ConnectionError("client parti")
            donnees += morceau
        return donnees


def flux(contenu):
    return h.televerse("f.pdf", contenu)


def test_clamd_declare_sain_un_fichier_envoye_par_morceaux(tmp_path):
    contenu = bytes(range(256)) * 1000

    with FauxClamd(tmp_path / "c.sock") as clamd:
        verdict = analyser(flux(contenu), adresse=clamd.adresse)

    assert verdict == Verdict(sain=True, detail="")
    assert clamd.commande == b"zINSTREAM\0"
    assert clamd.recu == contenu
    assert max(clamd.morceaux) <= antivirus.TAILLE_MORCEAU < len(contenu)


def test_clamd_nomme_le_virus_trouve(tmp_path):
    with FauxClamd(tmp_path / "c.sock") as clamd:
        verdict = analyser(flux(b"debut " + h.EICAR), adresse=clamd.adresse)

    assert verdict == Verdict(sain=False, detail="Eicar-Test-Signature")


def test_clamd_se_joint_aussi_en_tcp():
    with FauxClamd() as clamd:
        assert clamd.adresse.startswith("tcp://127.0.0.1:")
        assert analyser(flux(b"bonjour"), adresse=clamd.adresse).sain


def test_clamd_absent_est_indisponible(tmp_path):
    with pytest.raises(AntivirusIndisponible):
        analyser(flux(b"bonjour"), adresse=str(tmp_path / "absent.sock"))


def test_clamd_muet_est_indisponible_passe_le_delai(tmp_path):
    with FauxClamd(tmp_path / "c.sock", muet=True) as clamd, pytest.raises(AntivirusIndisponible):
        analyser(flux(b"bonjour"), adresse=clamd.adresse, delai=0.2)


def test_une_erreur_de_clamd_n_est_pas_un_verdict(tmp_path):
    reponse = b"INSTREAM size limit exceeded. ERROR"

    with FauxClamd(tmp_path / "c.sock", reponse=reponse) as clamd, pytest.raises(AntivirusErreur):
        analyser(flux(b"bonjour"), adresse=clamd.adresse)


def test_le_depot_passe_par_le_vrai_client_jusqu_au_verdict(
    settings, tmp_path, atelier, deposant, django_capture_on_commit_callbacks
):
    contenu = h.pdf_avec_eicar()

    with FauxClamd(tmp_path / "c.sock") as clamd:
        settings.DOCUMENTS_CLAMD = clamd.adresse
        with django_capture_on_commit_callbacks(execute=True):
            depose = deposer(atelier, deposant, contenu=contenu)

    assert clamd.recu == contenu
    depose = FichierDepose.objects.get(pk=depose.pk)
    assert depose.analyse == FichierDepose.Analyse.INFECTE
    assert depose.analyse_resultat == "Eicar-Test-Signature"
