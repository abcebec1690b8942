import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from ateliers.models import Atelier
from documents.models import Document, FichierDepose
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import UtilisateurFactory, membre
from tests.reponses import sans_jetons

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier():
    return AtelierFactory(intitule="Vallée de la Dordogne")


def _document(atelier, statut=Document.Statut.PRET, **champs):
    document = Document.objects.create(
        source_type=ContentType.objects.get_for_model(Atelier),
        source_id=str(atelier.pk),
        gabarit="pdf/fiche_atelier.html",
        contexte="ateliers.pdf.contexte_fiche",
        titre=f"Fiche atelier {atelier.reference}",
        version_source="v1",
        statut=statut,
        taille=9,
        nombre_pages=1,
        **champs,
    )
    if statut == Document.Statut.PRET:
        document.fichier.save("x.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return document


def _fichier(atelier, **champs):
    fichier = FichierDepose(
        nom_original="Délibération du 3 février.pdf",
        extension=".pdf",
        taille=9,
        type_contenu="application/pdf",
        sha256="0" * 64,
        proprietaire=atelier,
        **champs,
    )
    fichier.fichier.save("ignore.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    fichier.save()
    return fichier


def test_le_telechargement_d_un_document_est_une_piece_jointe_protegee(client, atelier, pilote):
    document = _document(atelier)
    client.force_login(pilote)
    response = client.get(reverse("documents:telecharger", args=[document.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert atelier.reference in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "intrus",
    [
        lambda: membre(),
        lambda: membre(ddt=True),
        lambda: membre(groupement=True),
        UtilisateurFactory,
    ],
)
def test_un_document_d_un_autre_atelier_repond_comme_un_inconnu(client, atelier, intrus):
    document = _document(atelier)
    fichier = _fichier(atelier)
    client.force_login(intrus())
    for nom, cle in [
        ("documents:telecharger", document.uuid),
        ("documents:statut", document.uuid),
        ("documents:fichier", fichier.uuid),
    ]:
        cache = client.get(reverse(nom, args=[cle]))
        inconnu = client.get(reverse(nom, args=[uuid.uuid4()]))
        assert cache.status_code == inconnu.status_code == 404
        assert sans_jetons(cache) == sans_jetons(inconnu)
    assert client.post(reverse("documents:relancer", args=[document.uuid])).status_code == 404


def test_anonyme_renvoye_a_la_connexion(client, atelier):
    document = _document(atelier)
    response = client.get(reverse("documents:telecharger", args=[document.uuid]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("comptes:connexion"))


@pytest.mark.parametrize(
    ("statut", "attendu", "action"),
    [
        (Document.Statut.EN_COURS, "est en cours de production", "documents:statut"),
        (Document.Statut.ECHEC, "a échoué : vous pouvez la relancer", "documents:relancer"),
    ],
)
def test_un_document_pas_encore_pret_montre_son_etat_au_lieu_du_fichier(
    client, atelier, pilote, statut, attendu, action
):
    # The link of an e-mail sent at commit is opened before the worker has rendered the PDF.
    document = _document(atelier, statut=statut)
    client.force_login(pilote)
    reponse = client.get(reverse("documents:telecharger", args=[document.uuid]))
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/html")
    texte = reponse.content.decode()
    assert f"<h1>{document.titre}</h1>" in texte and attendu in texte
    assert reverse(action, args=[document.uuid]) in texte


@pytest.mark.parametrize(
    ("statut", "attendu", "sondage"),
    [
        (Document.Statut.DEMANDE, "attend d'être produit", True),
        (Document.Statut.EN_COURS, "en cours de production", True),
        (Document.Statut.PRET, "Télécharger", False),
        (Document.Statut.ECHEC, "Réessayer", False),
    ],
)
def test_le_statut_se_met_a_jour_seul_tant_que_le_rendu_n_est_pas_fini(
    client, atelier, pilote, statut, attendu, sondage
):
    document = _document(atelier, statut=statut)
    client.force_login(pilote)
    response = client.get(reverse("documents:statut", args=[document.uuid]))
    texte = response.content.decode()
    assert attendu in texte.replace("&#x27;", "'")
    assert ('hx-trigger="every 2s"' in texte) is sondage
    assert 'aria-live="polite"' in texte


def test_reessayer_apres_un_echec_produit_le_document(
    client, atelier, pilote, django_capture_on_commit_callbacks
):
    """Without a broker the render runs in-process: the retried fiche is ready at once."""
    document = _document(atelier, statut=Document.Statut.ECHEC, erreur="Police introuvable")
    client.force_login(pilote)
    suite = reverse("portail:atelier", args=[atelier.pk])
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        response = client.post(
            reverse("documents:relancer", args=[document.uuid]), {"suite": suite}
        )
    assert response.status_code == 302 and response.url == suite
    assert len(rappels) == 1
    relance = Document.objects.get(pk=document.pk)
    assert relance.statut == Document.Statut.PRET
    assert relance.erreur == ""
    assert relance.nombre_pages >= 2
    assert relance.fichier.storage.exists(relance.fichier.name)


def test_reessayer_ne_renvoie_pas_hors_du_site(client, atelier, pilote):
    document = _document(atelier, statut=Document.Statut.PRET)
    client.force_login(pilote)
    response = client.post(
        reverse("documents:relancer", args=[document.uuid]), {"suite": "https://exemple.test/"}
    )
    assert response.url == "/"


def test_un_fichier_depose_se_telecharge_sous_son_nom_d_origine(client, atelier, pilote):
    fichier = _fichier(atelier)
    client.force_login(pilote)
    response = client.get(reverse("documents:fichier", args=[fichier.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7\n"
    assert "D%C3%A9lib%C3%A9ration%20du%203%20f%C3%A9vrier.pdf" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert fichier.nom_original not in fichier.fichier.name


def test_un_fichier_en_cours_d_analyse_ne_se_telecharge_pas(client, atelier, pilote):
    fichier = _fichier(atelier, analyse=FichierDepose.Analyse.EN_COURS)
    client.force_login(pilote)
    assert client.get(reverse("documents:fichier", args=[fichier.uuid])).status_code == 404


def test_un_fichier_sans_proprietaire_n_est_visible_de_personne(client, pilote):
    fichier = _fichier(None)
    client.force_login(pilote)
    assert client.get(reverse("documents:fichier", args=[fichier.uuid])).status_code == 404
