"""What the livrables expect of each user (« à traiter »): the groupement deposits a livrable
due soon and answers corrections, the pilot reviews, the collectivité gives its avis, DGALN
agrees to the livret; each in its own ateliers only, and nothing once done."""

import datetime

import pytest
from django.urls import reverse

from ateliers.models import Atelier, EtapePrevue
from ateliers.selectors import a_faire
from livrables.models import Commentaire, TypeLivrable
from livrables.selectors import livrable_de
from livrables.selectors.attentes import attentes
from livrables.services import accord_donner, avis_donner, livrable_valider
from portail.selectors import ateliers_a_traiter
from portail.selectors import attentes as portail_attentes
from tests.livrables.outils import commenter, demander_corrections, deposer

pytestmark = pytest.mark.django_db


def attendu(user):
    """The labels of what waits on `user`, with the ateliers where each waits."""
    return {
        a.libelle: set(Atelier.objects.filter(a.filtre).values_list("pk", flat=True))
        for a in attentes(user)
    }


def ou(user, libelle):
    return attendu(user).get(libelle, set())


def rapprocher(liv, type_nature, jours):
    EtapePrevue.objects.filter(atelier=liv.atelier, nature=type_nature).update(
        date_prevue=datetime.date.today() + datetime.timedelta(days=jours)
    )


def test_le_groupement_doit_deposer_un_livrable_dont_la_date_approche(liv):
    rapprocher(liv, EtapePrevue.Nature.NOTE_CADRAGE, 60)
    for nature in (n for n in EtapePrevue.Nature if n != EtapePrevue.Nature.NOTE_CADRAGE):
        rapprocher(liv, nature, 400)
    assert ou(liv.groupement, "Déposer un livrable attendu") == set()
    rapprocher(liv, EtapePrevue.Nature.NOTE_CADRAGE, 10)
    assert ou(liv.groupement, "Déposer un livrable attendu") == {liv.atelier.pk}
    assert ou(liv.autre_groupement, "Déposer un livrable attendu") == set()
    deposer(liv)
    assert ou(liv.groupement, "Déposer un livrable attendu") == set()


def test_un_livret_en_retard_attend_son_depot(liv):
    for nature in EtapePrevue.Nature:
        rapprocher(liv, nature, 400)
    rapprocher(liv, EtapePrevue.Nature.LIVRET, -3)
    assert ou(liv.groupement, "Déposer un livrable attendu") == {liv.atelier.pk}


def test_le_pilote_relit_puis_le_groupement_corrige(liv):
    assert ou(liv.pilote, "Relire un livrable déposé") == set()
    deposer(liv)
    assert ou(liv.pilote, "Relire un livrable déposé") == {liv.atelier.pk}
    assert ou(liv.dreal, "Relire un livrable déposé") == set()
    commenter(liv)
    demander_corrections(liv)
    assert ou(liv.pilote, "Relire un livrable déposé") == set()
    assert ou(liv.groupement, "Déposer un livrable corrigé") == {liv.atelier.pk}


def test_la_collectivite_donne_son_avis_une_fois_par_version(liv):
    deposer(liv)
    libelle = "Donner votre avis sur un livrable"
    assert ou(liv.porteuse, libelle) == {liv.atelier.pk}
    collectivite = liv.atelier.collectivites.get()
    livrable = livrable_de(liv.atelier, TypeLivrable.NOTE_CADRAGE)
    avis_donner(livrable=livrable, par=liv.porteuse, collectivite=collectivite, sens="favorable")
    assert ou(liv.porteuse, libelle) == set()
    commenter(liv)
    demander_corrections(liv)
    deposer(liv, reponses={Commentaire.objects.get().pk: "Fait."})
    assert ou(liv.porteuse, libelle) == {liv.atelier.pk}


def test_la_dgaln_donne_son_accord_sur_le_livret_depose(liv):
    libelle = "Donner l'accord de la DGALN sur un livret de capitalisation"
    deposer(liv)
    assert ou(liv.dgaln, libelle) == set()
    deposer(liv, type=TypeLivrable.LIVRET)
    assert ou(liv.dgaln, libelle) == {liv.atelier.pk}
    livret = livrable_de(liv.atelier, TypeLivrable.LIVRET)
    accord_donner(livrable=livret, par=liv.dgaln)
    assert ou(liv.dgaln, libelle) == set()
    assert libelle not in attendu(liv.pilote)


def test_un_livrable_valide_n_attend_plus_rien(liv):
    deposer(liv)
    livrable = livrable_de(liv.atelier, TypeLivrable.NOTE_CADRAGE)
    livrable_valider(livrable=livrable, par=liv.pilote, vu=livrable.statut)
    for user in (liv.pilote, liv.groupement, liv.porteuse):
        assert liv.atelier.pk not in ou(user, "Relire un livrable déposé")
        assert liv.atelier.pk not in ou(user, "Donner votre avis sur un livrable")


def test_a_traiter_et_la_page_de_l_atelier(client, liv):
    deposer(liv)
    assert set(ateliers_a_traiter(liv.pilote).values_list("pk", flat=True)) == {liv.atelier.pk}
    libelles = a_faire([liv.atelier], portail_attentes(liv.pilote))[liv.atelier.pk]
    assert "Relire un livrable déposé" in libelles
    client.force_login(liv.pilote)
    page = client.get(reverse("portail:atelier", args=[liv.atelier.pk])).text
    assert 'id="livrables"' in page
    assert reverse("livrables:livrable", args=[liv.atelier.pk, "note_cadrage"]) in page


def test_la_section_livrables_pour_qui_les_lit(client, liv):
    client.force_login(liv.groupement)
    page = client.get(reverse("portail:atelier", args=[liv.atelier.pk])).text
    assert 'id="livrables"' in page and "Livret de capitalisation" in page
    client.force_login(liv.dreal)
    response = client.get(reverse("portail:atelier", args=[liv.atelier.pk]))
    assert response.status_code != 200 or 'id="livrables"' not in response.text
