"""Every page of the consultation and of the offers, for each role: the pilot, a collectivité
porteuse, the opérateur, DGALN, another collectivité, a consulted groupement and one that is
not consulted (an id guessed in a URL answers 404)."""

import itertools
import re

import pytest
from django.urls import reverse

from marches.models import MarcheSubsequent
from marches.services import question_enregistrer
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.test_consultation import (
    _ressource,
    consultation_ouverte,
    il_y_a,
    membre_de,
    pilote_de_la,
)
from tests.marches.test_offres import enregistrer

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut
ROLES = (
    "pilote",
    "porteuse",
    "operateur",
    "dgaln",
    "autre_collectivite",
    "consulte",
    "non_consulte",
)


def _utilisateurs(consultation):
    atelier = consultation.marche.atelier
    operateur = OrganisationFactory(operateur=True)
    atelier.operateur = operateur
    atelier.save()
    return {
        "pilote": pilote_de_la(consultation),
        "porteuse": UtilisateurFactory(organisations=[atelier.collectivites.first()]),
        "operateur": membre_de(operateur),
        "dgaln": membre(dgaln=True),
        "autre_collectivite": membre(departement=atelier.departements.first()),
        "consulte": membre_de(consultation.consultes.first()),
        "non_consulte": membre(groupement=True),
    }


def _attendus(pilote, jury, dgaln, consulte, autres=404):
    """Expected status by role: the panel's three members share `jury`."""
    return {
        "pilote": pilote,
        "porteuse": jury,
        "operateur": jury,
        "dgaln": dgaln,
        "autre_collectivite": autres,
        "consulte": consulte,
        "non_consulte": autres,
    }


@pytest.fixture
def ouverte():
    """In consultation, before the deadline: a question, a resource, one offer."""
    consultation = consultation_ouverte()
    question = question_enregistrer(
        consultation=consultation,
        question="?",
        recue_le=il_y_a(hours=1),
        par=pilote_de_la(consultation),
    )
    fichier, _ = _ressource(consultation)
    return consultation, question, fichier


@pytest.fixture
def analysee():
    consultation = consultation_ouverte(date_limite=il_y_a(hours=1))
    offre = enregistrer(consultation, consultation.consultes.last(), recue_le=il_y_a(hours=2))
    MarcheSubsequent.objects.filter(pk=consultation.marche_id).update(statut=S.EN_ANALYSE)
    return consultation, offre


def _verifier(client, utilisateurs, url, attendus):
    for role in ROLES:
        client.force_login(utilisateurs[role])
        reponse = client.get(url)
        if reponse.streaming:
            b"".join(reponse.streaming_content)
        assert reponse.status_code == attendus[role], (url, role, reponse.status_code)


def test_pages_de_la_consultation_en_cours_par_role(client, ouverte):
    consultation, question, fichier = ouverte
    marche = consultation.marche
    utilisateurs = _utilisateurs(consultation)
    pages = {
        reverse("marches:marche", args=[marche.pk]): _attendus(200, 200, 200, 404),
        reverse("marches:questions", args=[marche.pk]): _attendus(200, 200, 200, 404),
        reverse("marches:repondre", args=[marche.pk, question.pk]): _attendus(200, 403, 403, 404),
        reverse("marches:offre_enregistrer", args=[marche.pk]): _attendus(200, 403, 403, 404),
        # Before the deadline, the pilot is sent back to the marché with the reason.
        reverse("marches:clore_consultation", args=[marche.pk]): _attendus(302, 403, 403, 404),
        reverse("marches:consultation", args=[consultation.pk]): _attendus(404, 404, 404, 200),
        reverse("marches:renoncer", args=[consultation.pk]): _attendus(404, 404, 404, 200),
        reverse("marches:ressource", args=[consultation.pk, fichier.uuid]): _attendus(
            404, 404, 404, 200
        ),
        reverse("marches:consultations"): _attendus(403, 403, 403, 200, autres=403)
        | {"non_consulte": 200},
        reverse("marches:renoncements"): _attendus(403, 403, 200, 403, autres=403),
    }
    for url, attendus in pages.items():
        _verifier(client, utilisateurs, url, attendus)


def test_pages_des_offres_en_analyse_par_role(client, analysee):
    consultation, offre = analysee
    marche = consultation.marche
    utilisateurs = _utilisateurs(consultation)
    pages = {
        reverse("marches:marche", args=[marche.pk]): _attendus(200, 200, 200, 404),
        reverse("marches:audition", args=[marche.pk, offre.pk]): _attendus(200, 403, 403, 404),
        **{
            reverse(f"marches:offre_{t}", args=[marche.pk, offre.pk]): _attendus(200, 403, 403, 404)
            for t in ("demander_regularisation", "declarer_irreguliere", "declarer_inacceptable")
        },
        # Only an offer waiting for its regularisation may be regularised.
        reverse("marches:offre_regulariser", args=[marche.pk, offre.pk]): _attendus(
            302, 403, 403, 404
        ),
        # Already closed: whoever sees the marché is sent back to it with the reason.
        reverse("marches:clore_consultation", args=[marche.pk]): _attendus(302, 302, 302, 404),
        reverse("marches:consultation", args=[consultation.pk]): _attendus(404, 404, 404, 200),
        # The deadline has passed: the groupement is sent back to the round's page.
        reverse("marches:renoncer", args=[consultation.pk]): _attendus(404, 404, 404, 302),
    }
    for url, attendus in pages.items():
        _verifier(client, utilisateurs, url, attendus)


def test_une_offre_d_un_autre_marche_devinee_repond_404(client, analysee):
    consultation, offre = analysee
    autre = consultation_ouverte()
    pilote = pilote_de_la(autre)
    client.force_login(pilote)
    for url in (
        reverse("marches:audition", args=[autre.marche.pk, offre.pk]),
        reverse("marches:offre_declarer_irreguliere", args=[autre.marche.pk, offre.pk]),
        reverse("marches:audition", args=[consultation.marche.pk, offre.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_le_pilote_d_un_autre_territoire_ne_voit_rien(client, ouverte):
    consultation, question, _ = ouverte
    client.force_login(membre(ddt=True))
    marche = consultation.marche
    for url in (
        reverse("marches:questions", args=[marche.pk]),
        reverse("marches:repondre", args=[marche.pk, question.pk]),
        reverse("marches:offre_enregistrer", args=[marche.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_les_questions_se_lisent_sous_un_titre_de_niveau_2(client, ouverte):
    """From the h1 down, no heading level is skipped (RGAA 9.1): each question's h3 sits under
    an h2, as on the groupement's page of the consultation."""
    consultation, _, _ = ouverte
    client.force_login(pilote_de_la(consultation))
    page = client.get(reverse("marches:questions", args=[consultation.marche.pk])).text
    contenu = page.split('<main id="content"', 1)[1].split("</main>", 1)[0]
    niveaux = [int(n) for n in re.findall(r"<h([1-6])[ >]", contenu)]
    assert niveaux[:3] == [1, 2, 3], niveaux
    assert all(suivant - niveau <= 1 for niveau, suivant in itertools.pairwise(niveaux)), niveaux
