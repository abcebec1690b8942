import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, CodeAtelier, Evenement, Phase
from ateliers.services.cadrage import cadrage_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.reponses import sans_jetons

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilote(ddt):
    return UtilisateurFactory(organisations=[ddt])


@pytest.fixture
def atelier(ddt):
    collectivite = OrganisationFactory(departement=ddt.departement, nom="Communauté test")
    return AtelierFactory(
        phase=Phase.RESTITUTION,
        service_pilote=ddt,
        collectivites=[collectivite],
        intitule="Bocage et industrie",
    )


def detail_url(atelier):
    return reverse("portail:atelier", args=[atelier.pk])


def action_url(atelier, transition):
    return reverse("ateliers:action", args=[atelier.pk, transition])


def test_la_liste_demande_une_connexion(client):
    response = client.get(reverse("portail:ateliers"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("comptes:connexion"))


def test_la_liste_ne_montre_que_les_ateliers_visibles(client, pilote, atelier):
    autre = AtelierFactory(intitule="Ailleurs en France")
    client.force_login(pilote)
    response = client.get(reverse("portail:ateliers"))
    assert response.status_code == 200
    assert list(response.context["ateliers"]) == [atelier]
    assert "Bocage et industrie" in response.text
    assert autre.intitule not in response.text


def test_les_filtres_de_la_liste(client, atelier):
    dgaln = membre(dgaln=True)
    AtelierFactory(phase=Phase.INSTRUCTION, intitule="Vallée à instruire")
    client.force_login(dgaln)
    url = reverse("portail:ateliers")
    assert [a.intitule for a in client.get(url, {"phase": "instruction"}).context["ateliers"]] == [
        "Vallée à instruire"
    ]
    assert [a.intitule for a in client.get(url, {"q": "bocage"}).context["ateliers"]] == [
        "Bocage et industrie"
    ]
    assert [a.intitule for a in client.get(url, {"q": atelier.reference}).context["ateliers"]] == [
        "Bocage et industrie"
    ]
    region = atelier.departements.get().region
    assert [a.pk for a in client.get(url, {"region": region.pk}).context["ateliers"]] == [
        atelier.pk
    ]
    dep = atelier.departements.get()
    assert [a.pk for a in client.get(url, {"departement": dep.pk}).context["ateliers"]] == [
        atelier.pk
    ]
    annee = atelier.annee
    assert client.get(url, {"annee": annee}).context["page_obj"].paginator.count == 2
    hors_choix = client.get(url, {"annee": annee - 1})
    assert "Sélectionnez un choix valide" in hors_choix.text
    vide = client.get(url, {"q": "introuvable"})
    assert "Aucun atelier ne correspond à ces filtres" in vide.text


def test_un_filtre_invalide_ne_casse_pas_la_liste(client, pilote, atelier):
    client.force_login(pilote)
    response = client.get(reverse("portail:ateliers"), {"phase": "n'importe quoi", "annee": "x"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text


def test_le_tri_par_intitule(client, pilote, ddt):
    for titre in ["Brest", "Alès", "Cahors"]:
        AtelierFactory(service_pilote=ddt, intitule=titre)
    client.force_login(pilote)
    url = reverse("portail:ateliers")
    assert [a.intitule for a in client.get(url, {"tri": "intitule"}).context["ateliers"]] == [
        "Alès",
        "Brest",
        "Cahors",
    ]
    response = client.get(url, {"tri": "-intitule"})
    assert [a.intitule for a in response.context["ateliers"]] == ["Cahors", "Brest", "Alès"]
    assert 'aria-sort="descending"' in response.text


def test_une_recherche_sur_plusieurs_pages_garde_son_ordre_et_son_compte(client, pilote, ddt):
    for rang in range(30):
        AtelierFactory(service_pilote=ddt, intitule=f"Bocage {rang:02d}")
    AtelierFactory(service_pilote=ddt, intitule="Littoral")
    client.force_login(pilote)
    url = reverse("portail:ateliers")
    premiere = client.get(url, {"q": "bocage", "tri": "intitule"})
    assert premiere.context["page_obj"].paginator.count == 30
    assert "30 ateliers correspondent à vos filtres" in premiere.text
    assert [a.intitule for a in premiere.context["ateliers"]][:2] == ["Bocage 00", "Bocage 01"]
    seconde = client.get(url, {"q": "bocage", "tri": "intitule", "page": 2})
    assert [a.intitule for a in seconde.context["ateliers"]] == [
        f"Bocage {rang:02d}" for rang in range(25, 30)
    ]
    assert seconde.context["ateliers"][0].departements.all()[0].nom


def _ateliers_du_pilote(ddt, nombre):
    for rang in range(nombre):
        collectivites = [OrganisationFactory(), OrganisationFactory()]
        AtelierFactory(
            service_pilote=ddt,
            departements=[ddt.departement],
            phase=(Phase.CLOTURE, Phase.PRE_CANDIDATURE)[rang % 2],
            intitule=f"Bocage {rang}",
            collectivites=collectivites,
            groupement=OrganisationFactory(groupement=True),
        )


@pytest.mark.parametrize(
    "filtres",
    [
        {"tri": "phase"},
        {"phase": Phase.PRE_CANDIDATURE},
        {"departement": "D"},
        {"q": "bocage"},
        {"a_traiter": "on"},
    ],
)
@pytest.mark.parametrize("role", ["dgaln", "ddt"])
def test_la_liste_a_un_nombre_de_requetes_constant(client, ddt, pilote, role, filtres):
    from tests.requetes import nombre_de_requetes

    if filtres.get("departement"):
        filtres = {"departement": ddt.departement_id}
    client.force_login(membre(dgaln=True) if role == "dgaln" else pilote)
    _ateliers_du_pilote(ddt, 30)
    avec_n = nombre_de_requetes(client, reverse("portail:ateliers"), filtres)
    _ateliers_du_pilote(ddt, 30)
    avec_2n = nombre_de_requetes(client, reverse("portail:ateliers"), filtres)
    assert avec_n == avec_2n


def test_la_fiche_montre_phase_porteurs_et_journal(client, pilote, atelier):
    from ateliers.services.cadrage import cadrage_clore, cadrage_enregistrer, cadrage_ouvrir

    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.CADRAGE)
    cadrage = cadrage_ouvrir(atelier=atelier, debut=datetime.date(2026, 1, 5), duree_mois=12)
    hier = timezone.now() - datetime.timedelta(days=1)
    valeurs = {"date": hier, "compte_rendu": "Enjeux partagés."}
    cadrage_enregistrer(cadrage=cadrage, par=pilote, vu="a_tenir", valeurs=valeurs)
    cadrage_clore(cadrage=cadrage, par=pilote, vu="a_tenir")
    client.force_login(pilote)
    response = client.get(detail_url(atelier))
    assert response.status_code == 200
    assert response.context["etape"]["current_step_id"] == 5
    assert response.context["etape"]["next_step_title"] == "Session 2 : stratégie"
    assert "Communauté test" in response.text
    assert "Cadrage clos : l&#x27;atelier passe à la session 1" in response.text
    assert reverse("ateliers:calendrier", args=[atelier.pk]) in response.text
    # Session 2 comes when session 1 is held, from the session's page (ADR 0016).
    assert "Passer à la session 2" not in response.text


def test_la_fiche_a_un_nombre_de_requetes_constant(client, pilote, atelier):
    from ateliers.services import journal_ecrire
    from tests.requetes import nombre_de_requetes

    client.force_login(pilote)
    for n in range(40):
        journal_ecrire(code=CodeAtelier.OUVERT, objet=atelier, par=pilote, libelle=f"Événement {n}")
    avec_n = nombre_de_requetes(client, detail_url(atelier))
    for n in range(40):
        journal_ecrire(code=CodeAtelier.OUVERT, objet=atelier, par=pilote, libelle=f"Événement {n}")
    assert nombre_de_requetes(client, detail_url(atelier)) == avec_n


@pytest.mark.parametrize(
    "role", ["collectivite", "autre_ddt", "groupement", "sans_organisation", "operateur"]
)
def test_un_atelier_invisible_repond_comme_un_atelier_inexistant(client, atelier, role):
    user = {
        "collectivite": lambda: membre(),
        "autre_ddt": lambda: membre(ddt=True),
        "groupement": lambda: membre(groupement=True),
        "operateur": lambda: membre(operateur=True),
        "sans_organisation": UtilisateurFactory,
    }[role]()
    client.force_login(user)
    invisible = client.get(detail_url(atelier))
    inexistant = client.get(reverse("portail:atelier", args=[atelier.pk + 1000]))
    assert invisible.status_code == inexistant.status_code == 404
    assert sans_jetons(invisible) == sans_jetons(inexistant)
    action = client.post(action_url(atelier, "abandonner"))
    assert action.status_code == 404


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [
        ("pilote", 200),
        ("dgaln", 200),
        ("collectivite", 200),
        ("groupement", 200),
        ("dreal_region", 200),
    ],
)
def test_qui_peut_voir_la_fiche(client, atelier, pilote, qui, attendu):
    user = {
        "pilote": lambda: pilote,
        "dgaln": lambda: membre(dgaln=True),
        "collectivite": lambda: UtilisateurFactory(organisations=[atelier.collectivites.get()]),
        "groupement": lambda: _titulaire(atelier),
        "dreal_region": lambda: UtilisateurFactory(
            organisations=[
                OrganisationFactory(dreal=True, region=atelier.departements.get().region)
            ]
        ),
    }[qui]()
    client.force_login(user)
    assert client.get(detail_url(atelier)).status_code == attendu


def _titulaire(atelier):
    groupement = OrganisationFactory(groupement=True)
    Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
    return UtilisateurFactory(organisations=[groupement])


def test_le_pilote_change_la_phase_depuis_sa_confirmation(client, pilote, atelier):
    client.force_login(pilote)
    confirmation = client.get(action_url(atelier, "abandonner"))
    assert confirmation.status_code == 200
    assert "Abandonner l'atelier ?" in html.unescape(confirmation.text)
    response = client.post(
        action_url(atelier, "abandonner"),
        {"abandonner-motif": "Retrait de l'EPCI", "vu": "restitution"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail_url(atelier)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.ABANDONNE
    assert "Atelier abandonné." in [str(m) for m in response.context["messages"]]
    evenement = Evenement.objects.get(atelier=atelier)
    assert evenement.par == pilote
    assert evenement.commentaire == "Retrait de l'EPCI"


def test_la_cloture_ne_se_fait_pas_depuis_les_actions_de_l_atelier(client, pilote, atelier):
    """The clôture belongs to livrables (ADR 0019): its own page, not the generic action."""
    client.force_login(pilote)
    assert client.get(action_url(atelier, "cloturer")).status_code == 404
    assert client.post(action_url(atelier, "cloturer"), {"vu": "restitution"}).status_code == 404
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION


@pytest.mark.parametrize("qui", ["collectivite", "dreal_region", "groupement"])
def test_voir_sans_pouvoir_agir_donne_403(client, atelier, qui):
    user = {
        "collectivite": lambda: UtilisateurFactory(organisations=[atelier.collectivites.get()]),
        "dreal_region": lambda: UtilisateurFactory(
            organisations=[
                OrganisationFactory(dreal=True, region=atelier.departements.get().region)
            ]
        ),
        "groupement": lambda: _titulaire(atelier),
    }[qui]()
    client.force_login(user)
    assert client.get(detail_url(atelier)).status_code == 200
    assert "À vous d'agir" not in client.get(detail_url(atelier)).text
    assert client.get(action_url(atelier, "abandonner")).status_code == 403
    assert client.post(action_url(atelier, "abandonner")).status_code == 403
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION
    assert not Evenement.objects.exists()


def test_une_action_hors_de_sa_phase_est_expliquee(client, pilote, atelier):
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.SESSION_2)
    client.force_login(pilote)
    response = client.post(action_url(atelier, "cloturer"), follow=True)
    assert "Cette action n'est pas possible" in html.unescape(response.text)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.SESSION_2


def test_une_action_inconnue_est_une_404(client, pilote, atelier):
    client.force_login(pilote)
    assert client.post(action_url(atelier, "save")).status_code == 404


def test_abandon_sans_motif_redonne_le_formulaire(client, pilote, atelier):
    client.force_login(pilote)
    response = client.post(action_url(atelier, "abandonner"), {"abandonner-motif": "   "})
    assert response.status_code == 400
    assert "Indiquez le motif" in response.text
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION


def test_abandon_motive(client, pilote, atelier):
    client.force_login(pilote)
    client.post(
        action_url(atelier, "abandonner"),
        {"abandonner-motif": "Retrait de l'EPCI", "vu": "restitution"},
    )
    atelier = Atelier.objects.get(pk=atelier.pk)
    assert atelier.phase == Phase.ABANDONNE
    response = client.get(detail_url(atelier))
    assert "Retrait de l'EPCI" in html.unescape(response.text)


def test_une_action_deja_faite_par_un_autre_est_expliquee(client, pilote, atelier):
    from ateliers.services import atelier_changer_phase

    client.force_login(pilote)
    atelier_changer_phase(
        atelier=atelier, vu=atelier.phase, transition="abandonner", par=pilote, motif="Retrait"
    )
    response = client.post(action_url(atelier, "abandonner"), follow=True)
    assert "Cette action n'est pas possible" in html.unescape(response.text)
    assert Evenement.objects.count() == 1


def test_une_action_confirmee_sur_une_page_perimee_est_refusee(client, pilote, atelier):
    """DGALN's page showed the atelier in restitution; its phase changed in between: the
    abandon still exists from the new phase, but DGALN never saw that phase."""
    dgaln = membre(dgaln=True)
    client.force_login(dgaln)
    assert 'name="vu" value="restitution"' in client.get(detail_url(atelier)).text
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.SESSION_3)
    response = client.post(
        action_url(atelier, "abandonner"),
        {"abandonner-motif": "Retrait de l'EPCI", "vu": "restitution"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail_url(atelier)
    assert [str(m) for m in response.context["messages"]] == [
        f"Cette action n'est plus possible : « {atelier} » est maintenant à l'étape "
        "« Session 3 : feuille de route ». La page a été mise à jour."
    ]
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.SESSION_3
    assert not Evenement.objects.exists()
    assert 'name="vu" value="session_3"' in response.text


def test_chaque_formulaire_d_action_porte_la_phase_vue(client, pilote, atelier):
    client.force_login(pilote)
    page = client.get(detail_url(atelier)).text
    assert page.count('<input type="hidden" name="vu" value="restitution">') == 1
    confirmation = client.get(action_url(atelier, "abandonner")).text
    assert '<input type="hidden" name="vu" value="restitution">' in confirmation


@pytest.mark.parametrize("donnees", [{}, {"vu": ""}, {"vu": "cloture"}, {"vu": "x" * 5000}])
def test_une_phase_vue_absente_ou_forgee_est_refusee_sans_erreur(client, pilote, atelier, donnees):
    client.force_login(pilote)
    donnees = {**donnees, "abandonner-motif": "Retrait"}
    response = client.post(action_url(atelier, "abandonner"), donnees, follow=True)
    assert response.status_code == 200
    assert "La page a été mise à jour" in html.unescape(response.text)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION
    assert not Evenement.objects.exists()


def test_l_accueil_dit_quoi_faire(client, pilote, atelier):
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.CADRAGE)
    cadrage_ouvrir(atelier=atelier, debut=datetime.date(2027, 1, 4), duree_mois=12)
    client.force_login(pilote)
    response = client.get(reverse("portail:accueil"))
    assert "Un atelier attend votre action" in response.text
    assert "enregistrer la réunion de cadrage" in html.unescape(response.text)
    collectivite = UtilisateurFactory(organisations=[atelier.collectivites.get()])
    client.force_login(collectivite)
    assert "Rien à faire pour vous" in client.get(reverse("portail:accueil")).text


@pytest.mark.parametrize(
    ("qui", "propose"),
    [("epci", True), ("ddt", True), ("dgaln", False), ("groupement", False)],
)
def test_l_accueil_propose_d_ouvrir_une_precandidature_a_qui_le_peut(client, qui, propose):
    traits = {} if qui == "epci" else {qui: True}
    client.force_login(UtilisateurFactory(organisations=[OrganisationFactory(**traits)]))
    page = client.get(reverse("portail:accueil")).text
    lien = f'href="{reverse("candidatures:ouvrir_precandidature")}"'
    assert (lien in page) is propose
    assert ("Ouvrir une pré-candidature" in page) is propose


def test_l_accueil_a_un_nombre_de_requetes_constant(client, ddt, pilote):
    from tests.requetes import nombre_de_requetes

    def ateliers(nombre):
        for _ in range(nombre):
            atelier = AtelierFactory(
                service_pilote=ddt, phase=Phase.CADRAGE, collectivites=[OrganisationFactory()]
            )
            cadrage_ouvrir(atelier=atelier, debut=datetime.date(2027, 1, 4), duree_mois=12)

    client.force_login(pilote)
    ateliers(15)
    avec_n = nombre_de_requetes(client, reverse("portail:accueil"))
    ateliers(15)
    assert nombre_de_requetes(client, reverse("portail:accueil")) == avec_n
    assert "30 ateliers attendent votre action" in client.get(reverse("portail:accueil")).text


def test_un_intitule_hostile_est_echappe_partout(client, pilote, ddt):
    atelier = AtelierFactory(
        service_pilote=ddt, phase=Phase.RESTITUTION, intitule='<script>alert("x")</script>'
    )
    client.force_login(pilote)
    response = client.post(
        action_url(atelier, "abandonner"),
        {"vu": "restitution", "abandonner-motif": "Retrait"},
        follow=True,
    )
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "<script>alert" not in client.get(reverse("portail:ateliers")).text


def test_un_envoi_sans_jeton_csrf_donne_une_page_en_francais(pilote, atelier):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(pilote)
    response = client.post(action_url(atelier, "abandonner"))
    assert response.status_code == 403
    assert "Ce formulaire a expiré" in response.text
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION


def test_a_traiter_dans_la_liste_et_le_menu(client, ddt, pilote, atelier):
    # In its restitution, an atelier waits on its pilot once ready to close (tests/livrables).
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.SESSION_2)
    AtelierFactory(service_pilote=ddt, phase=Phase.SESSION_3, intitule="Aussi à traiter")
    AtelierFactory(service_pilote=ddt, phase=Phase.INSTRUCTION, intitule="Chez la DGALN")
    client.force_login(pilote)
    response = client.get(reverse("portail:ateliers"), {"a_traiter": "on"})
    assert {a.intitule for a in response.context["ateliers"]} == {
        "Bocage et industrie",
        "Aussi à traiter",
    }
    assert 'href="/ateliers/?a_traiter=on" aria-current="page">À traiter' in response.text


@pytest.mark.parametrize(("page", "attendue"), [("999", 3), ("abc", 1), ("-1", 3), ("2", 2)])
def test_un_numero_de_page_errone_montre_la_page_la_plus_proche(client, page, attendue):
    for _ in range(60):
        AtelierFactory()
    client.force_login(membre(dgaln=True))
    response = client.get(reverse("portail:ateliers"), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == attendue


def test_la_liste_filtree_ne_repete_pas_la_visibilite(client, ddt, pilote, atelier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.SESSION_2)
    atelier.refresh_from_db()
    client.force_login(pilote)
    filtres = {
        "departement": ddt.departement_id,
        "a_traiter": "on",
        "annee": atelier.annee,
        "q": "Bocage",
    }
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(reverse("portail:ateliers"), filtres)

    assert list(response.context["ateliers"]) == [atelier]
    # The DDT's route to its ateliers (its département) appears once per query at most.
    assert max(q["sql"].count('"departement_id" IN (') for q in requetes.captured_queries) == 1


def test_la_fiche_pagine_son_journal(client, pilote, atelier):
    from ateliers.services import journal_ecrire
    from portail.views import JOURNAL_PAR_PAGE

    for n in range(JOURNAL_PAR_PAGE + 5):
        journal_ecrire(
            code=CodeAtelier.OUVERT, objet=atelier, par=pilote, libelle=f"Événement n° {n}"
        )
    client.force_login(pilote)

    premiere = client.get(detail_url(atelier))
    seconde = client.get(detail_url(atelier), {"page": 2})

    assert premiere.text.count("Événement n° ") == JOURNAL_PAR_PAGE
    assert f"Événement n° {JOURNAL_PAR_PAGE + 4}<" in premiere.text
    assert 'class="fr-pagination"' in premiere.text
    assert seconde.text.count("Événement n° ") == 5
    assert "Événement n° 0<" in seconde.text


def test_le_journal_ecrit_chaque_ligne_echappee_avec_ses_sauts_de_ligne():
    """The journal's lines (written by `lignes_du_journal`, not a template): who, from which
    organisation and when, the states, the comment with its line breaks, all escaped."""
    from django.template import engines

    from comptes.models import Organisation, Utilisateur

    par = Utilisateur(prenom="Ana", nom="<i>Lee</i>")
    par.pk = 1
    organisation = Organisation(nom="DDT & co")
    organisation.pk = 2
    ligne = Evenement(
        date=timezone.make_aware(datetime.datetime(2026, 7, 1, 14, 30, 5, 123)),
        par=par,
        organisation=organisation,
        libelle="<script>x</script>",
        etat_avant_libelle="Cadrage",
        etat_apres_libelle="Session 1",
        commentaire="ligne 1\r\nligne <2>",
    )
    sans_auteur = Evenement(date=ligne.date, libelle="Relance")
    page = engines["django"].from_string('{% include "ateliers/_journal.html" %}')

    html = page.render({"journal": [ligne, sans_auteur]})

    assert '<time datetime="2026-07-01T14:30:05+02:00">1er juillet 2026 à 14:30</time>' in html
    assert " — Ana &lt;i&gt;Lee&lt;/i&gt; (DDT &amp; co)</p>" in html
    etats = "<strong>&lt;script&gt;x&lt;/script&gt;</strong> : de « Cadrage » à « Session 1 »"
    assert etats in html
    assert "ligne 1<br>ligne &lt;2&gt;" in html
    assert "14:30</time></p><p" in html  # the line without an author names nobody
    assert "Le journal est vide." in page.render({"journal": []})
