"""The thread between DGALN and the porteurs, DGALN's annotations and colleagues' opinions."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from ateliers.models import Atelier, Phase
from ateliers.services import ActionImpossible
from candidatures.models import Annotation, DemandeAvis, Message, Objet, VersionCandidature
from candidatures.services import (
    annotation_ecrire,
    avis_demander,
    avis_rendre,
    message_envoyer,
)
from documents.models import FichierDepose
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents.fichiers_hostiles import pdf_pypdf, televerse

pytestmark = pytest.mark.django_db

SECRET = "Annotation confidentielle : dossier fragile"
AVIS_SECRET = "Avis d'expert : périmètre trop large"


@pytest.fixture
def atelier():
    collectivite = OrganisationFactory(nom="Communauté du Val")
    return AtelierFactory(phase=Phase.INSTRUCTION, collectivites=[collectivite])


@pytest.fixture
def porteur(atelier):
    return UtilisateurFactory(
        organisations=[atelier.collectivites.get()], email="elu@val.test", prenom="Camille"
    )


@pytest.fixture
def dgaln():
    return UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)], email="ad1@dgaln.test", prenom="Dominique"
    )


@pytest.fixture
def pilote(atelier):
    return UtilisateurFactory(organisations=[atelier.service_pilote], email="pilote@ddt.test")


def url(nom, atelier):
    return reverse(f"candidatures:{nom}", args=[atelier.pk])


def test_un_message_d_un_porteur_previent_la_dgaln_sans_les_pieces(
    client, atelier, candidature, porteur, dgaln, django_capture_on_commit_callbacks
):
    client.force_login(porteur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("echanges", atelier),
            {
                "texte": "Voici le diagnostic demandé.",
                "pieces": [
                    televerse("diagnostic.pdf", pdf_pypdf(), "application/pdf"),
                    televerse("carte.pdf", pdf_pypdf(1), "application/pdf"),
                ],
            },
        )
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.auteur, message.de_la_dgaln) == (porteur, False)
    assert message.organisation == atelier.collectivites.get()
    assert FichierDepose.objects.filter(proprietaire_id=str(message.pk)).count() == 2
    assert [m.to for m in mail.outbox] == [["ad1@dgaln.test"]]
    corps = mail.outbox[0].body
    assert "(2 pièces jointes)" in corps and url("echanges", atelier) in corps
    assert "diagnostic" not in corps and "Voici le diagnostic" not in corps
    page = html.unescape(client.get(url("echanges", atelier)).text)
    assert "Voici le diagnostic demandé." in page and "diagnostic.pdf" in page


def test_une_reponse_de_la_dgaln_previent_les_porteurs(
    candidature, porteur, pilote, dgaln, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_envoyer(candidature=candidature, par=dgaln, texte="Précisez l'objet.")
    assert message.de_la_dgaln
    assert sorted(m.to[0] for m in mail.outbox) == ["elu@val.test", "pilote@ddt.test"]


def test_une_piece_jointe_refusee_garde_le_message(client, atelier, candidature, porteur):
    client.force_login(porteur)
    response = client.post(
        url("echanges", atelier),
        {"texte": "Mon texte à garder", "pieces": [televerse("faux.pdf", b"<html>", "text/html")]},
    )
    assert response.status_code == 400
    texte = html.unescape(response.text)
    assert "Mon texte à garder" in texte and "faux.pdf" in texte
    assert not Message.objects.exists()


def test_pieces_jointes_limitees_en_nombre(client, atelier, candidature, porteur):
    client.force_login(porteur)
    pieces = [televerse(f"p{i}.pdf", pdf_pypdf(1), "application/pdf") for i in range(6)]
    response = client.post(url("echanges", atelier), {"texte": "x", "pieces": pieces})
    assert response.status_code == 400
    assert "5 fichiers au plus" in html.unescape(response.text)


def test_qui_lit_et_qui_ecrit_les_echanges(client, atelier, candidature, porteur, pilote, dgaln):
    dreal = UtilisateurFactory(
        organisations=[OrganisationFactory(dreal=True, region=atelier.departements.get().region)]
    )
    groupement = OrganisationFactory(groupement=True)
    Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
    attendus = {
        porteur: (200, 302),
        pilote: (200, 302),
        dgaln: (200, 302),
        dreal: (200, 403),
        membre(): (404, 404),
        UtilisateurFactory(organisations=[groupement]): (404, 404),
    }
    for user, (lecture, ecriture) in attendus.items():
        client.force_login(user)
        assert client.get(url("echanges", atelier)).status_code == lecture, user
        assert client.post(url("echanges", atelier), {"texte": "x"}).status_code == ecriture


def test_une_piece_jointe_se_telecharge_comme_le_message_se_lit(
    client, atelier, candidature, porteur
):
    message = message_envoyer(
        candidature=candidature,
        par=porteur,
        texte="x",
        pieces=[televerse("note.pdf", pdf_pypdf(1), "application/pdf")],
    )
    fichier = FichierDepose.objects.get(proprietaire_id=str(message.pk))
    adresse = reverse("documents:fichier", args=[fichier.uuid])
    client.force_login(porteur)
    telechargement = client.get(adresse)
    assert b"".join(telechargement.streaming_content).startswith(b"%PDF")
    assert telechargement.status_code == 200
    client.force_login(membre())
    assert client.get(adresse).status_code == 404


def test_le_fil_se_lit_en_un_nombre_fixe_de_requetes(client, atelier, candidature, porteur, dgaln):
    from tests.requetes import nombre_de_requetes

    def messages(de, a):
        for rang in range(de, a):
            message_envoyer(
                candidature=candidature,
                par=dgaln if rang % 2 else porteur,
                texte=f"Message {rang}",
                pieces=[televerse(f"p{rang}.pdf", pdf_pypdf(1), "application/pdf")],
            )

    client.force_login(porteur)
    messages(0, 15)
    avec_n = nombre_de_requetes(client, url("echanges", atelier))
    messages(15, 30)
    assert nombre_de_requetes(client, url("echanges", atelier)) == avec_n
    page = client.get(url("echanges", atelier))
    assert page.text.count("fr-link--download") == 30


def test_les_annotations_et_avis_ne_sont_vus_que_de_la_dgaln(
    client, atelier, candidature, porteur, pilote, dgaln
):
    annotation_ecrire(candidature=candidature, par=dgaln, texte=SECRET)
    expert = membre(ddt=True)
    demande = avis_demander(candidature=candidature, par=dgaln, expert=expert, question="?")
    DemandeAvis.objects.filter(pk=demande.pk).update(avis=AVIS_SECRET)
    client.force_login(dgaln)
    page = html.unescape(client.get(url("instruction", atelier)).text)
    assert SECRET in page
    for user in (porteur, pilote):
        client.force_login(user)
        assert client.get(url("instruction", atelier)).status_code == 403
        assert (
            client.post(url("instruction", atelier), {"annotation-texte": "x"}).status_code == 403
        )
        assert client.get(reverse("candidatures:avis", args=[demande.pk])).status_code == 404
        for adresse in (
            url("echanges", atelier),
            reverse("portail:atelier", args=[atelier.pk]),
            reverse("candidatures:partie", args=[atelier.pk, "objet"]),
        ):
            texte = html.unescape(client.get(adresse).text)
            assert SECRET not in texte and AVIS_SECRET not in texte
            assert "Instruction interne" not in texte
    client.force_login(membre())
    assert client.get(url("instruction", atelier)).status_code == 404


def test_la_dgaln_annote(client, atelier, candidature, dgaln):
    client.force_login(dgaln)
    response = client.post(url("instruction", atelier), {"annotation-texte": SECRET})
    assert response.status_code == 302
    assert Annotation.objects.get().auteur == dgaln
    vide = client.post(url("instruction", atelier), {"annotation-texte": ""})
    assert vide.status_code == 400


def test_un_avis_demande_puis_rendu_une_seule_fois(
    client, atelier, candidature, dgaln, django_capture_on_commit_callbacks
):
    # A DDT agent elsewhere in France: no access to the atelier, yet may read the note to
    # give the opinion asked.
    expert = UtilisateurFactory(
        organisations=[OrganisationFactory(ddt=True)], email="expert@ddt.test"
    )
    client.force_login(dgaln)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("instruction", atelier),
            {"avis-expert": expert.pk, "avis-question": "Le périmètre est-il pertinent ?"},
        )
    assert response.status_code == 302
    demande = DemandeAvis.objects.get()
    assert mail.outbox[-1].to == ["expert@ddt.test"]
    adresse = reverse("candidatures:avis", args=[demande.pk])
    assert adresse in mail.outbox[-1].body
    client.force_login(expert)
    page = html.unescape(client.get(adresse).text)
    assert "Le périmètre est-il pertinent ?" in page and "Section 3 — L'objet" in page
    assert client.get(reverse("portail:atelier", args=[atelier.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(adresse, {"avis": AVIS_SECRET}).status_code == 302
    assert mail.outbox[-1].to == ["ad1@dgaln.test"]
    assert client.post(adresse, {"avis": "encore"}).status_code == 403
    assert DemandeAvis.objects.get().avis == AVIS_SECRET
    client.force_login(dgaln)
    assert AVIS_SECRET in html.unescape(client.get(url("instruction", atelier)).text)


def test_on_ne_demande_pas_d_avis_a_un_porteur(client, atelier, candidature, dgaln, porteur):
    client.force_login(dgaln)
    response = client.post(
        url("instruction", atelier), {"avis-expert": porteur.pk, "avis-question": "?"}
    )
    assert response.status_code == 400
    assert not DemandeAvis.objects.exists()


def test_aucun_membre_d_une_organisation_porteuse_n_est_sollicite_pour_un_avis(
    client, atelier, candidature, dgaln, pilote
):
    """The agent who pilots the atelier is a porteur: offered nowhere, refused if forced."""
    operateur = OrganisationFactory(operateur=True)
    Atelier.objects.filter(pk=atelier.pk).update(operateur=operateur)
    atelier.refresh_from_db()
    # A DREAL agent who also belongs to the atelier's opérateur carries it too.
    double = UtilisateurFactory(organisations=[OrganisationFactory(dreal=True), operateur])
    expert = membre(ddt=True)
    client.force_login(dgaln)
    page = client.get(url("instruction", atelier))
    proposes = set(page.context["form_avis"].fields["expert"].queryset)
    assert expert in proposes
    assert pilote not in proposes and double not in proposes
    for force in (pilote, double):
        response = client.post(
            url("instruction", atelier), {"avis-expert": force.pk, "avis-question": "?"}
        )
        assert response.status_code == 400
        with pytest.raises(ActionImpossible, match="les porteurs de l'atelier ne voient pas"):
            avis_demander(candidature=candidature, par=dgaln, expert=force, question="?")
    assert not DemandeAvis.objects.exists()


def test_le_collegue_sollicite_trouve_l_avis_dans_son_a_traiter(client, candidature, dgaln):
    # A DDT agent elsewhere, who cannot open the atelier: the request leads to the avis page.
    expert = membre(ddt=True)
    client.force_login(expert)
    assert "Rien à faire pour vous" in html.unescape(client.get(reverse("portail:accueil")).text)
    demande = avis_demander(candidature=candidature, par=dgaln, expert=expert, question="?")
    lien = f'href="{reverse("candidatures:avis", args=[demande.pk])}"'
    accueil = html.unescape(client.get(reverse("portail:accueil")).text)
    assert "Une demande vous est adressée" in accueil and lien in accueil
    assert f"Donner votre avis sur la candidature {candidature.atelier}" in accueil
    assert "Rien à faire pour vous" not in accueil
    assert lien in client.get(reverse("portail:ateliers"), {"a_traiter": "on"}).text
    assert lien not in client.get(reverse("portail:ateliers")).text
    client.force_login(dgaln)
    assert lien not in client.get(reverse("portail:accueil")).text
    avis_rendre(demande=demande, par=expert, avis=AVIS_SECRET)
    client.force_login(expert)
    accueil = html.unescape(client.get(reverse("portail:accueil")).text)
    assert lien not in accueil and "Rien à faire pour vous" in accueil


def test_l_avis_porte_sur_la_version_deposee_pas_sur_un_brouillon_rouvert(
    client, candidature, dgaln
):
    VersionCandidature.objects.create(
        candidature=candidature,
        numero=1,
        contenu={
            "titre": "Titre déposé",
            "parties": [
                {
                    "slug": "objet",
                    "titre": "Section 3 — L'objet",
                    "lisible": [{"libelle": "Enjeux", "valeur": "Enjeux déposés"}],
                }
            ],
            "courriers": [],
        },
    )
    Objet.objects.filter(candidature=candidature).update(enjeux="Brouillon rouvert")
    expert = membre(ddt=True)
    demande = avis_demander(candidature=candidature, par=dgaln, expert=expert, question="?")
    client.force_login(expert)
    page = html.unescape(client.get(reverse("candidatures:avis", args=[demande.pk])).text)
    assert "version 1 déposée le" in page
    assert "Enjeux déposés" in page and "Brouillon rouvert" not in page
