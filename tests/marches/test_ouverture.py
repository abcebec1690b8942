"""Launching the marché from an eligible atelier, classing it without follow-up, abandoning
the atelier during its marché: the atelier's phase follows only through these services."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ateliers.models import Evenement, Phase
from ateliers.services import ActionImpossible, atelier_changer_phase
from comptes.models import Courriel
from marches.models import CodeMarche, MarcheSubsequent
from marches.services import (
    atelier_abandonner_en_marche,
    marche_classer_sans_suite,
    marche_ouvrir,
)
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.factories import AccordCadreFactory, MarcheFactory
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut


@pytest.fixture
def atelier():
    return AtelierFactory(phase=Phase.ELIGIBLE, collectivites=[OrganisationFactory()])


def test_le_pilote_ouvre_le_marche_et_l_atelier_entre_en_marche(atelier, pilote, accord_cadre):
    membre_collectivite = UtilisateurFactory(organisations=[atelier.collectivites.get()])
    marche = marche_ouvrir(atelier=atelier, par=pilote, vu=Phase.ELIGIBLE)
    atelier.refresh_from_db()
    assert (marche.statut, marche.numero, marche.accord_cadre) == (
        S.EN_PREPARATION,
        1,
        accord_cadre,
    )
    assert atelier.phase == Phase.MARCHE
    ligne = Evenement.objects.get(code=CodeMarche.OUVERT)
    assert (ligne.phase_avant, ligne.phase_apres, ligne.objet) == (
        Phase.ELIGIBLE,
        Phase.MARCHE,
        marche,
    )
    assert Courriel.objects.filter(
        gabarit="marche_ouvert", destinataire=membre_collectivite.email
    ).exists()


def test_l_ancien_bouton_de_phase_est_refuse(atelier, pilote, accord_cadre):
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        atelier_changer_phase(
            atelier=atelier, transition="lancer_marche", par=pilote, vu=Phase.ELIGIBLE
        )
    marche = MarcheFactory(statut=S.ATTRIBUE)
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        atelier_changer_phase(
            atelier=marche.atelier,
            transition="demarrer_cadrage",
            par=UtilisateurFactory(organisations=[marche.atelier.service_pilote]),
            vu=Phase.MARCHE,
        )


def test_ouvrir_est_reserve_au_pilote(atelier, accord_cadre):
    for user in (
        UtilisateurFactory(organisations=[atelier.collectivites.get()]),
        membre(dgaln=True),
        membre(groupement=True),
    ):
        with pytest.raises(PermissionDenied):
            marche_ouvrir(atelier=atelier, par=user, vu=Phase.ELIGIBLE)
    assert not MarcheSubsequent.objects.exists()


def test_ouvrir_sans_accord_cadre_en_vigueur_est_refuse(atelier, pilote):
    import datetime

    AccordCadreFactory(date_debut=datetime.date(2019, 1, 1), date_fin=datetime.date(2023, 12, 31))
    with pytest.raises(ActionImpossible, match="Aucun accord-cadre n'est en vigueur"):
        marche_ouvrir(atelier=atelier, par=pilote, vu=Phase.ELIGIBLE)
    atelier.refresh_from_db()
    assert atelier.phase == Phase.ELIGIBLE and not MarcheSubsequent.objects.exists()


def test_ouvrir_refuse_si_la_phase_a_change_depuis_la_page(atelier, pilote, accord_cadre):
    with pytest.raises(ActionImpossible, match="maintenant à l'étape"):
        marche_ouvrir(atelier=atelier, par=pilote, vu=Phase.INSTRUCTION)


def test_un_second_marche_n_ouvre_qu_apres_un_classement_sans_suite(pilote_de, accord_cadre):
    marche = MarcheFactory(accord_cadre=accord_cadre)
    pilote = pilote_de(marche)
    with pytest.raises(ActionImpossible, match="déjà un marché subséquent en cours"):
        marche_ouvrir(atelier=marche.atelier, par=pilote, vu=Phase.MARCHE)
    marche_classer_sans_suite(marche=marche, par=pilote, vu=S.EN_PREPARATION, motif="Besoin revu")
    second = marche_ouvrir(atelier=marche.atelier, par=pilote, vu=Phase.MARCHE)
    assert (second.numero, second.statut) == (2, S.EN_PREPARATION)
    second.atelier.refresh_from_db()
    assert second.atelier.phase == Phase.MARCHE


def test_classer_sans_suite_garde_le_motif_et_previent(pilote_de):
    marche = MarcheFactory(statut=S.EN_ANALYSE)
    marche_classer_sans_suite(marche=marche, par=pilote_de(marche), vu=S.EN_ANALYSE, motif="Budget")
    marche.refresh_from_db()
    assert (marche.statut, marche.motif_sans_suite) == (S.SANS_SUITE, "Budget")
    assert Evenement.objects.get(code=CodeMarche.SANS_SUITE).commentaire == "Budget"
    assert Courriel.objects.filter(gabarit="marche_sans_suite").exists()


def test_classer_sans_suite_exige_un_motif_et_le_pilote(pilote_de, porteuse_de):
    marche = MarcheFactory()
    with pytest.raises(ActionImpossible, match="motif"):
        marche_classer_sans_suite(
            marche=marche, par=pilote_de(marche), vu=S.EN_PREPARATION, motif=" "
        )
    with pytest.raises(PermissionDenied):
        marche_classer_sans_suite(
            marche=marche, par=porteuse_de(marche), vu=S.EN_PREPARATION, motif="x"
        )


@pytest.mark.parametrize("statut", [S.EN_CONSULTATION, S.SANS_SUITE])
def test_abandonner_l_atelier_clot_son_marche(statut, agent_dgaln):
    marche = MarcheFactory(statut=statut)
    atelier = atelier_abandonner_en_marche(
        atelier=marche.atelier, par=agent_dgaln, vu=Phase.MARCHE, motif="Les élus renoncent"
    )
    marche.refresh_from_db()
    assert (atelier.phase, marche.statut) == (Phase.ABANDONNE, S.SANS_SUITE)
    assert atelier.motif_sortie == "Les élus renoncent"
    ligne = Evenement.objects.get(code=CodeMarche.ATELIER_ABANDONNE)
    assert (ligne.phase_avant, ligne.phase_apres) == (Phase.MARCHE, Phase.ABANDONNE)


def test_l_abandon_en_marche_ne_passe_plus_par_ateliers(agent_dgaln):
    marche = MarcheFactory()
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        atelier_changer_phase(
            atelier=marche.atelier,
            transition="abandonner",
            par=agent_dgaln,
            vu=Phase.MARCHE,
            motif="x",
        )


def test_abandon_refuse_a_une_collectivite(porteuse_de):
    marche = MarcheFactory()
    with pytest.raises(PermissionDenied):
        atelier_abandonner_en_marche(
            atelier=marche.atelier, par=porteuse_de(marche), vu=Phase.MARCHE, motif="x"
        )


# Pages


def test_le_pilote_lance_le_marche_depuis_la_page_de_l_atelier(
    client, atelier, pilote, accord_cadre
):
    client.force_login(pilote)
    page = client.get(reverse("portail:atelier", args=[atelier.pk]))
    assert "Lancer le marché subséquent" in html.unescape(page.text)
    assert reverse("marches:ouvrir", args=[atelier.pk]) in page.text
    assert reverse("ateliers:action", args=[atelier.pk, "lancer_marche"]) not in page.text
    reponse = client.post(
        reverse("marches:ouvrir", args=[atelier.pk]), {"vu": Phase.ELIGIBLE}, follow=True
    )
    marche = MarcheSubsequent.objects.get()
    assert reponse.redirect_chain[-1][0] == reverse("marches:marche", args=[marche.pk])
    assert "ouvert sous l'accord-cadre" in html.unescape(reponse.text)


@pytest.mark.parametrize("role", ["collectivite", "dgaln", "groupement"])
def test_la_page_de_lancement_est_refusee_aux_autres(client, atelier, accord_cadre, role):
    user = (
        UtilisateurFactory(organisations=[atelier.collectivites.get()])
        if role == "collectivite"
        else membre(**{role: True})
    )
    client.force_login(user)
    reponse = client.post(reverse("marches:ouvrir", args=[atelier.pk]), {"vu": Phase.ELIGIBLE})
    # A groupement does not see the atelier at all: 404; the others see it: 403.
    assert reponse.status_code == (404 if role == "groupement" else 403)
    assert not MarcheSubsequent.objects.exists()


def test_page_du_marche_par_role(client, pilote_de, porteuse_de, agent_dgaln):
    marche = MarcheFactory()
    url = reverse("marches:marche", args=[marche.pk])
    autre_collectivite = UtilisateurFactory(
        organisations=[OrganisationFactory(departement=marche.atelier.departements.first())]
    )
    attendus = [
        (pilote_de(marche), 200),
        (porteuse_de(marche), 200),
        (agent_dgaln, 200),
        (autre_collectivite, 404),
        (membre(groupement=True), 404),
        (membre(ddt=True), 404),
    ]
    for user, code in attendus:
        client.force_login(user)
        assert client.get(url).status_code == code, user


def test_le_pilote_classe_sans_suite_depuis_la_page(client, pilote_de, porteuse_de):
    marche = MarcheFactory()
    url = reverse("marches:classer_sans_suite", args=[marche.pk])
    client.force_login(porteuse_de(marche))
    assert (
        client.post(url, {"vu": S.EN_PREPARATION, "classer_sans_suite-motif": "x"}).status_code
        == 403
    )
    client.force_login(pilote_de(marche))
    page = client.get(reverse("marches:marche", args=[marche.pk]))
    assert "Classer le marché sans suite" in html.unescape(page.text)
    reponse = client.post(url, {"vu": S.EN_PREPARATION, "classer_sans_suite-motif": ""})
    assert reponse.status_code == 400
    reponse = client.post(
        url, {"vu": S.EN_PREPARATION, "classer_sans_suite-motif": "Besoin revu"}, follow=True
    )
    marche.refresh_from_db()
    assert marche.statut == S.SANS_SUITE
    assert "Marché classé sans suite" in html.unescape(reponse.text)


def test_abandon_depuis_la_page_de_l_atelier_en_marche(client, agent_dgaln):
    marche = MarcheFactory(statut=S.EN_CONSULTATION)
    client.force_login(agent_dgaln)
    page = client.get(reverse("portail:atelier", args=[marche.atelier.pk]))
    assert reverse("marches:abandonner", args=[marche.atelier.pk]) in page.text
    client.post(
        reverse("marches:abandonner", args=[marche.atelier.pk]),
        {"vu": Phase.MARCHE, "abandonner-motif": "Les élus renoncent"},
    )
    marche.atelier.refresh_from_db()
    assert marche.atelier.phase == Phase.ABANDONNE


def _marches(n, service):
    for _ in range(n):
        MarcheFactory(atelier__service_pilote=service, statut=S.EN_CONSULTATION)


@pytest.mark.parametrize("role", ["pilote", "dgaln"])
def test_liste_des_marches_en_requetes_constantes(client, role, agent_dgaln):
    ddt = OrganisationFactory(ddt=True)
    client.force_login(UtilisateurFactory(organisations=[ddt]) if role == "pilote" else agent_dgaln)
    url = reverse("marches:liste")
    _marches(3, ddt)
    avant = nombre_de_requetes(client, url)
    _marches(3, ddt)
    assert nombre_de_requetes(client, url) == avant
    reponse = client.get(url, {"statut": S.EN_CONSULTATION})
    assert "6 marchés correspondent" in html.unescape(reponse.text)


def test_la_liste_est_refusee_a_un_groupement(client):
    client.force_login(membre(groupement=True))
    assert client.get(reverse("marches:liste")).status_code == 403


def test_la_liste_mene_la_dgaln_seule_aux_renoncements_des_groupements(client, agent_dgaln):
    lien = f'href="{reverse("marches:renoncements")}"'
    client.force_login(agent_dgaln)
    assert lien in client.get(reverse("marches:liste")).text
    client.force_login(membre(ddt=True))
    reponse = client.get(reverse("marches:liste"))
    assert reponse.status_code == 200 and lien not in reponse.text


def test_a_traiter_dit_au_pilote_et_au_jury_ce_que_le_marche_attend(atelier, pilote):
    from portail.selectors import ateliers_a_traiter
    from portail.selectors import attentes as toutes_les_attentes

    def libelles(user, un_atelier):
        from ateliers.selectors import a_faire

        return a_faire([un_atelier], toutes_les_attentes(user)).get(un_atelier.pk, [])

    assert libelles(pilote, atelier) == ["Lancer le marché subséquent"]
    assert atelier in ateliers_a_traiter(pilote)
    en_preparation = MarcheFactory()
    en_analyse = MarcheFactory(statut=S.EN_ANALYSE)
    for marche, du_pilote, du_jury in [
        (
            en_preparation,
            "Rédiger le CCTP et publier la consultation",
            "Rédiger le CCTP avec le service pilote",
        ),
        (en_analyse, "Analyser les offres et attribuer le marché", "Noter les offres avec le jury"),
    ]:
        pilote_du_marche = UtilisateurFactory(organisations=[marche.atelier.service_pilote])
        porteuse = UtilisateurFactory(organisations=[marche.atelier.collectivites.get()])
        assert libelles(pilote_du_marche, marche.atelier) == [du_pilote]
        assert libelles(porteuse, marche.atelier) == [du_jury]
        assert not ateliers_a_traiter(membre(groupement=True)).exists()


@pytest.mark.parametrize("role", ["pilote", "porteuse"])
def test_la_partie_marche_de_l_atelier_coute_autant_avec_un_ou_deux_marches(
    client, role, pilote_de, porteuse_de
):
    premier = MarcheFactory(statut=S.SANS_SUITE, motif_sans_suite="Le périmètre a changé.")
    atelier = premier.atelier
    client.force_login((pilote_de if role == "pilote" else porteuse_de)(premier))
    url = reverse("portail:atelier", args=[atelier.pk])
    avant = nombre_de_requetes(client, url)
    MarcheFactory(atelier=atelier, numero=2, statut=S.EN_CONSULTATION)
    assert nombre_de_requetes(client, url) == avant
    assert "M2" in html.unescape(client.get(url).text)
