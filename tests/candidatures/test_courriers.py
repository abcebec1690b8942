"""The three courriers: model letters filled from the note, signed letters deposited."""

import html
import io

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from pypdf import PdfReader

from ateliers.models import Atelier, Evenement, Phase
from ateliers.services import ActionImpossible
from candidatures.models import Candidature, Courrier
from candidatures.selectors import donnees_courriers, version_courrier
from candidatures.services import courrier_demander_modele
from documents.models import Document
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courrier, deposer_courriers, lettre_pdf
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents import fichiers_hostiles as h

pytestmark = pytest.mark.django_db

COLLECTIVITES = [
    {
        "organisation": "Communauté de communes du Val Fleuri",
        "siren": "200011111",
        "elu": "Camille Rivière, présidente",
        "referent": "Lou Essai",
        "referent_courriel": "lou@exemple.test",
    },
    {
        "organisation": "Commune de Pont-Neuf",
        "siren": "210022222",
        "elu": "Sacha Pont, maire",
        "referent": "Noa Essai",
        "referent_courriel": "noa@exemple.test",
    },
]


@pytest.fixture
def atelier():
    collectivite = OrganisationFactory(nom="Communauté de communes du Val Fleuri")
    return AtelierFactory(
        phase=Phase.CANDIDATURE,
        collectivites=[collectivite],
        service_pilote=OrganisationFactory(ddt=True, nom="DDT du Val"),
        intitule="Intitulé provisoire",
    )


def remplie(candidature, par):
    return completer(
        candidature,
        par,
        porteurs={"collectivites": COLLECTIVITES, "referent_etat": "Alix Martin"},
        objet={"titre": "Habiter la vallée inondable"},
    )


def url_courriers(atelier):
    return reverse("candidatures:courriers", args=[atelier.pk])


def url_depot(atelier, type_courrier):
    return reverse("candidatures:courrier_deposer", args=[atelier.pk, type_courrier])


def statut(client, adresse):
    """The status of a GET, its file (if any) read to the end, which closes it (the test client
    then closes the response; closing it again would close PostgreSQL's test connection)."""
    response = client.get(adresse)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def texte_pdf(document):
    with document.fichier.open("rb") as flux:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(flux.read())).pages)


@pytest.mark.parametrize("type_courrier", list(Courrier.Type))
def test_chaque_modele_de_courrier_reprend_la_note(
    candidature, porteur, type_courrier, django_capture_on_commit_callbacks
):
    remplie(candidature, porteur)
    with django_capture_on_commit_callbacks(execute=True):
        document = courrier_demander_modele(
            candidature=candidature, type_courrier=type_courrier, par=porteur
        )
    document.refresh_from_db()
    assert document.statut == Document.Statut.PRET
    texte = " ".join(texte_pdf(document).split())
    assert "Habiter la vallée inondable" in texte
    assert "Communauté de communes du Val Fleuri" in texte
    assert "Commune de Pont-Neuf" in texte
    assert candidature.atelier.reference in texte
    if type_courrier == Courrier.Type.SOUTIEN_COLLECTIVITES:
        assert "Camille Rivière, présidente" in texte and "Sacha Pont, maire" in texte
    if type_courrier == Courrier.Type.SOUTIEN_PREFET:
        assert "Sous-direction de l'Aménagement durable" in texte
    if type_courrier == Courrier.Type.ENGAGEMENT_SERVICE:
        assert "10 à 12 mois" in texte and "Alix Martin" in texte


def test_le_modele_change_de_version_quand_la_note_change(candidature, porteur):
    remplie(candidature, porteur)
    type_courrier = Courrier.Type.SOUTIEN_PREFET
    premier = courrier_demander_modele(
        candidature=candidature, type_courrier=type_courrier, par=porteur
    )
    assert (
        courrier_demander_modele(candidature=candidature, type_courrier=type_courrier, par=porteur)
        == premier
    )
    objet = Candidature.objects.get(pk=candidature.pk).objet
    from candidatures.services import partie_enregistrer

    partie_enregistrer(
        partie=objet, champs={"titre": "Un autre titre"}, version_lue=objet.version, par=porteur
    )
    second = courrier_demander_modele(
        candidature=candidature, type_courrier=type_courrier, par=porteur
    )
    assert second != premier
    assert second.version_source == version_courrier(donnees_courriers(candidature))
    assert Document.objects.count() == 2


def test_la_page_propose_le_modele_puis_son_statut(client, atelier, candidature, porteur):
    client.force_login(porteur)
    page = html.unescape(client.get(url_courriers(atelier)).text)
    assert page.count("Préparer le modèle (PDF)") == 3
    adresse = reverse(
        "candidatures:courrier_modele", args=[atelier.pk, Courrier.Type.SOUTIEN_COLLECTIVITES]
    )
    response = client.post(adresse, follow=True)
    texte = html.unescape(response.text)
    assert "est demandé : il apparaît ci-dessous dès qu'il est prêt" in texte
    # Celery runs in the process, but the render waits for a commit that never comes here.
    assert "En file d'attente" in texte
    assert texte.count("Préparer le modèle (PDF)") == 2
    document = Document.objects.get()
    assert f'hx-get="{reverse("documents:statut", args=[document.uuid])}"' in texte


def test_un_modele_pret_se_telecharge_avec_sa_taille(
    client, atelier, candidature, porteur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        courrier_demander_modele(
            candidature=candidature, type_courrier=Courrier.Type.SOUTIEN_PREFET, par=porteur
        )
    client.force_login(porteur)
    texte = html.unescape(client.get(url_courriers(atelier)).text)
    document = Document.objects.get()
    assert f'href="{reverse("documents:telecharger", args=[document.uuid])}"' in texte
    assert f"PDF – {filesizeformat(document.taille)} – 1 page" in texte
    response = client.get(reverse("documents:telecharger", args=[document.uuid]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


def test_deposer_un_courrier_signe(client, atelier, candidature, porteur):
    client.force_login(porteur)
    type_courrier = Courrier.Type.ENGAGEMENT_SERVICE
    response = client.post(
        url_depot(atelier, type_courrier),
        {f"{type_courrier}-fichier": h.televerse("Engagement signé.pdf", lettre_pdf("Signe"))},
        follow=True,
    )
    texte = html.unescape(response.text)
    assert "« Lettre d'engagement du service de l'État pilote » est déposée." in texte
    courrier = Courrier.objects.get()
    assert (courrier.type, courrier.depose_par, courrier.remplace_le) == (
        type_courrier,
        porteur,
        None,
    )
    assert courrier.fichier.nom_original == "Engagement signé.pdf"
    assert courrier.fichier.proprietaire == candidature
    assert f'href="{reverse("documents:fichier", args=[courrier.fichier.uuid])}"' in texte
    assert 'Engagement signé.pdf<span class="fr-link__detail">PDF – ' in texte
    evenement = Evenement.objects.get(
        libelle="Lettre d'engagement du service de l'État pilote déposée"
    )
    assert evenement.atelier == atelier and evenement.par == porteur
    telechargement = client.get(reverse("documents:fichier", args=[courrier.fichier.uuid]))
    assert b"".join(telechargement.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("lettre.docx", h.docx(), "PDF"),
        ("lettre.pdf", b"<html><body>pas un PDF</body></html>", "PDF"),
        ("vide.pdf", b"", "Le fichier est vide."),
    ],
)
def test_un_fichier_qui_n_est_pas_un_pdf_est_refuse_en_francais(
    client, atelier, candidature, porteur, nom, contenu, message
):
    client.force_login(porteur)
    type_courrier = Courrier.Type.SOUTIEN_PREFET
    response = client.post(
        url_depot(atelier, type_courrier), {f"{type_courrier}-fichier": h.televerse(nom, contenu)}
    )
    assert response.status_code == 400
    texte = html.unescape(response.text)
    assert texte.count("Le formulaire contient") == 1
    assert "Le formulaire contient 1 erreur" in texte
    assert message in texte
    assert 'class="fr-error-text"' in texte or "fr-message--error" in texte
    assert not Courrier.objects.exists()


def test_sans_fichier_le_depot_demande_le_courrier(client, atelier, candidature, porteur):
    client.force_login(porteur)
    response = client.post(url_depot(atelier, Courrier.Type.SOUTIEN_PREFET), {})
    assert response.status_code == 400
    assert "Choisissez le courrier signé, en PDF." in html.unescape(response.text)


def test_remplacer_un_courrier_garde_l_ancien(client, atelier, candidature, porteur):
    type_courrier = Courrier.Type.SOUTIEN_COLLECTIVITES
    ancien = deposer_courrier(candidature, porteur, type_courrier, nom="Première version.pdf")
    client.force_login(porteur)
    response = client.post(
        url_depot(atelier, type_courrier),
        {f"{type_courrier}-fichier": h.televerse("Version signée.pdf", lettre_pdf("V2"))},
        follow=True,
    )
    texte = html.unescape(response.text)
    assert "« Lettre de soutien de la ou des collectivités » est remplacée." in texte
    ancien.refresh_from_db()
    assert ancien.remplace_le is not None
    # Replaced before any dépôt: no longer served, at once.
    adresse = reverse("documents:fichier", args=[ancien.fichier.uuid])
    assert client.get(adresse).status_code == 404
    assert "« Première version.pdf »" in texte and f'href="{adresse}"' not in texte
    actuel = Courrier.objects.get(remplace_le__isnull=True)
    assert actuel.fichier.nom_original == "Version signée.pdf"
    assert "Courriers remplacés" in texte and "« Première version.pdf »" in texte
    assert Evenement.objects.filter(
        libelle="Lettre de soutien de la ou des collectivités remplacée",
        commentaire__contains="à la place de « Première version.pdf »",
    ).exists()


def test_la_liste_des_pieces_dit_ce_qui_est_present(client, atelier, candidature, porteur):
    deposer_courrier(candidature, porteur, Courrier.Type.SOUTIEN_PREFET)
    client.force_login(porteur)
    response = client.get(url_courriers(atelier))
    lignes = {ligne["type"]: ligne for ligne in response.context["courriers"]}
    assert lignes[Courrier.Type.SOUTIEN_PREFET]["manque"] is None
    assert lignes[Courrier.Type.SOUTIEN_COLLECTIVITES]["manque"] == "signée, pas encore déposée"
    texte = html.unescape(response.text)
    liste = texte.split('id="liste-courriers"')[1].split("</ul>")[0]
    assert liste.count("Présente") == 1 and liste.count("À fournir") == 2
    assert "2 manquants" in texte


def test_un_courrier_en_analyse_ou_infecte_ne_compte_pas(settings, candidature, porteur):
    from candidatures.selectors import etat_des_courriers
    from documents.models import FichierDepose

    courrier = deposer_courrier(candidature, porteur, Courrier.Type.SOUTIEN_PREFET)
    FichierDepose.objects.filter(pk=courrier.fichier_id).update(
        analyse=FichierDepose.Analyse.EN_COURS
    )
    etats = {e["type"]: e["manque"] for e in etat_des_courriers(candidature)}
    assert etats[Courrier.Type.SOUTIEN_PREFET] == "en cours d'analyse antivirus"
    FichierDepose.objects.filter(pk=courrier.fichier_id).update(
        analyse=FichierDepose.Analyse.INFECTE
    )
    etats = {e["type"]: e["manque"] for e in etat_des_courriers(candidature)}
    assert etats[Courrier.Type.SOUTIEN_PREFET].startswith("refusée par l'antivirus")


def test_le_menu_de_la_note_mene_aux_courriers(client, atelier, candidature, porteur):
    client.force_login(porteur)
    page = client.get(reverse("candidatures:partie", args=[atelier.pk, "objet"])).text
    assert f'href="{url_courriers(atelier)}"' in page
    assert "3 manquants" in page
    deposer_courriers(candidature, porteur)
    page = client.get(url_courriers(atelier)).text
    assert "Complets" in page and 'aria-current="page"' in page


def test_plus_de_depot_de_courrier_une_fois_la_candidature_deposee(
    client, atelier, candidature, porteur
):
    Candidature.objects.filter(pk=candidature.pk).update(statut=Candidature.Statut.DEPOSEE)
    client.force_login(porteur)
    page = client.get(url_courriers(atelier))
    assert page.status_code == 200 and "Déposer le courrier signé" not in page.text
    type_courrier = Courrier.Type.SOUTIEN_PREFET
    response = client.post(
        url_depot(atelier, type_courrier),
        {f"{type_courrier}-fichier": h.televerse("x.pdf", lettre_pdf("x"))},
    )
    assert response.status_code == 403
    with pytest.raises(ActionImpossible, match="plus modifiable"):
        deposer_courrier(candidature, porteur, type_courrier)
    assert not Courrier.objects.exists()


def _groupement(atelier):
    groupement = OrganisationFactory(groupement=True)
    Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
    return UtilisateurFactory(organisations=[groupement])


LECTEURS = {
    "porteur": lambda atelier: UtilisateurFactory(organisations=[atelier.collectivites.get()]),
    "pilote": lambda atelier: UtilisateurFactory(organisations=[atelier.service_pilote]),
    "dgaln": lambda atelier: membre(dgaln=True),
}
INTRUS = {"autre_collectivite": lambda atelier: membre(), "groupement": _groupement}


@pytest.mark.parametrize("qui", LECTEURS)
def test_porteurs_pilote_et_dgaln_lisent_les_courriers(client, atelier, candidature, porteur, qui):
    courrier = deposer_courrier(candidature, porteur, Courrier.Type.SOUTIEN_PREFET)
    modele = courrier_demander_modele(
        candidature=candidature, type_courrier=Courrier.Type.SOUTIEN_PREFET, par=porteur
    )
    client.force_login(LECTEURS[qui](atelier))
    assert client.get(url_courriers(atelier)).status_code == 200
    assert statut(client, reverse("documents:fichier", args=[courrier.fichier.uuid])) == 200
    assert client.get(reverse("documents:statut", args=[modele.uuid])).status_code == 200
    modele_url = reverse(
        "candidatures:courrier_modele", args=[atelier.pk, Courrier.Type.ENGAGEMENT_SERVICE]
    )
    assert client.post(modele_url).status_code == 302


@pytest.mark.parametrize("qui", INTRUS)
def test_les_autres_ont_une_404_partout(client, atelier, candidature, porteur, qui):
    courrier = deposer_courrier(candidature, porteur, Courrier.Type.SOUTIEN_PREFET)
    modele = courrier_demander_modele(
        candidature=candidature, type_courrier=Courrier.Type.SOUTIEN_PREFET, par=porteur
    )
    client.force_login(INTRUS[qui](atelier))
    type_courrier = Courrier.Type.SOUTIEN_PREFET
    assert client.get(url_courriers(atelier)).status_code == 404
    assert statut(client, reverse("documents:fichier", args=[courrier.fichier.uuid])) == 404
    assert client.get(reverse("documents:statut", args=[modele.uuid])).status_code == 404
    assert (
        client.post(
            url_depot(atelier, type_courrier),
            {f"{type_courrier}-fichier": h.televerse("x.pdf", lettre_pdf("x"))},
        ).status_code
        == 404
    )
    modele_url = reverse("candidatures:courrier_modele", args=[atelier.pk, type_courrier])
    assert client.post(modele_url).status_code == 404
    assert Courrier.objects.count() == 1


@pytest.mark.parametrize("qui", ["pilote", "porteur"])
def test_le_pilote_et_les_collectivites_deposent(client, atelier, candidature, qui):
    client.force_login(LECTEURS[qui](atelier))
    type_courrier = Courrier.Type.ENGAGEMENT_SERVICE
    response = client.post(
        url_depot(atelier, type_courrier),
        {f"{type_courrier}-fichier": h.televerse("x.pdf", lettre_pdf("x"))},
    )
    assert response.status_code == 302
    assert Courrier.objects.count() == 1


def test_la_dgaln_ne_depose_pas_de_courrier(client, atelier, candidature):
    client.force_login(membre(dgaln=True))
    type_courrier = Courrier.Type.SOUTIEN_PREFET
    page = client.get(url_courriers(atelier)).text
    assert "Déposer le courrier signé" not in page
    response = client.post(
        url_depot(atelier, type_courrier),
        {f"{type_courrier}-fichier": h.televerse("x.pdf", lettre_pdf("x"))},
    )
    assert response.status_code == 403
    assert not Courrier.objects.exists()


def test_un_type_de_courrier_inconnu_est_une_404(client, atelier, candidature, porteur):
    client.force_login(porteur)
    assert client.post(url_depot(atelier, "lettre_au_pere_noel")).status_code == 404


def test_la_page_des_courriers_en_un_nombre_fixe_de_requetes(client, atelier, candidature, porteur):
    from tests.requetes import nombre_de_requetes

    remplie(candidature, porteur)
    for type_courrier in Courrier.Type:
        courrier_demander_modele(candidature=candidature, type_courrier=type_courrier, par=porteur)
    client.force_login(porteur)
    deposer_courriers(candidature, porteur)
    deposer_courriers(candidature, porteur)
    avec_n = nombre_de_requetes(client, url_courriers(atelier))
    deposer_courriers(candidature, porteur)
    deposer_courriers(candidature, porteur)
    assert nombre_de_requetes(client, url_courriers(atelier)) == avec_n
    response = client.get(url_courriers(atelier))
    assert len(response.context["historique"]) == 9
    assert all(ligne["modele"] for ligne in response.context["courriers"])
