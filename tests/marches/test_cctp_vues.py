"""The CCTP's pages for each role: a part read or written, saved automatically, merged on a
conflict; the marché page's CCTP block; the publication and the rectificatif."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.models import Courriel
from documents.services import document_demander
from marches.models import PARTIES, MarcheSubsequent, PartieCctp
from marches.services import cctp_creer, cctp_partie_enregistrer
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.cctp_outils import limite
from tests.marches.factories import ConsultationFactory, MarcheFactory, VersionCctpFactory
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut


@pytest.fixture
def marche(accord_cadre):
    """A marché in preparation under the accord-cadre, with an opérateur, its CCTP drafted."""
    marche = MarcheFactory(accord_cadre=accord_cadre)
    marche.atelier.operateur = OrganisationFactory(operateur=True)
    marche.atelier.save()
    cctp_creer(marche=marche)
    return marche


def _url(marche, slug="objet"):
    return reverse("marches:cctp_partie", args=[marche.pk, slug])


def _roles(marche):
    atelier = marche.atelier
    return {
        "pilote": UtilisateurFactory(organisations=[atelier.service_pilote]),
        "porteuse": UtilisateurFactory(organisations=[atelier.collectivites.get()]),
        "operateur": UtilisateurFactory(organisations=[atelier.operateur]),
        "autre_collectivite": membre(),
        "groupement": UtilisateurFactory(
            organisations=[marche.accord_cadre.titularites.first().groupement]
        ),
        "dgaln": membre(dgaln=True),
    }


def _completer(marche, par):
    for slug, valeurs in {
        "objet": {"problematique": "P", "enjeux": "E"},
        "territoire": {"perimetre": "Le Val", "description": "D"},
        "objectifs": {"objectifs": "O"},
        "acteurs": {"maitrise_ouvrage": "M", "acteurs": "A"},
        "duree": {"calendrier": "C"},
    }.items():
        partie = PartieCctp.objects.get(marche=marche, slug=slug)
        cctp_partie_enregistrer(partie=partie, valeurs=valeurs, version_lue=partie.version, par=par)


def _donnees(marche, slug="objet", **valeurs):
    partie = PartieCctp.objects.get(marche=marche, slug=slug)
    donnees = {k: v for k, v in partie.contenu.items() if not isinstance(v, list)}
    donnees = {k: "" if v is None else v for k, v in donnees.items()}
    return {**donnees, "version": partie.version, **valeurs}


@pytest.mark.parametrize(
    ("role", "statut", "redige"),
    [
        ("pilote", 200, True),
        ("porteuse", 200, True),
        ("operateur", 200, True),
        ("dgaln", 200, False),
        ("autre_collectivite", 404, False),
        ("groupement", 404, False),
    ],
)
def test_chaque_role_lit_ou_redige_une_partie(client, marche, role, statut, redige):
    client.force_login(_roles(marche)[role])
    reponse = client.get(_url(marche))
    assert reponse.status_code == statut
    if statut == 200:
        page = reponse.text
        assert "Objet et contexte" in page
        assert ("statut-enregistrement" in page) is redige
        champ = page.split('name="enjeux"')[1].split(">")[0]
        assert ("disabled" in champ) is not redige
        for partie in PARTIES:
            assert partie.titre.replace("'", "&#x27;") in page
    envoi = client.post(_url(marche), _donnees(marche, enjeux="Essai"))
    assert envoi.status_code == (302 if redige else statut if statut == 404 else 403)
    enjeux = PartieCctp.objects.get(marche=marche, slug="objet").contenu.get("enjeux")
    assert (enjeux == "Essai") is redige


def test_une_partie_inconnue_est_introuvable(client, marche):
    client.force_login(_roles(marche)["pilote"])
    assert client.get(_url(marche, "inconnue")).status_code == 404


def test_le_menu_dit_ce_qui_manque_a_chaque_partie(client, marche):
    client.force_login(_roles(marche)["pilote"])
    page = client.get(_url(marche, "duree")).text
    menu = page.split('id="menu-cctp"')[1].split("</nav>")[0]
    assert "1 champ manquant" in menu.split("Durée et calendrier")[1].split("</a>")[0]
    assert "Complète" in menu.split("Livrables")[1].split("</a>")[0]
    assert "calendrier prévisionnel" in page
    # What completeness needs is not « facultatif », even though a draft saves without it.
    assert "Calendrier prévisionnel (facultatif)" not in page
    assert "Contexte (facultatif)" in client.get(_url(marche, "objet")).text


def test_l_enregistrement_automatique_renvoie_le_statut_et_le_menu(client, marche):
    pilote = _roles(marche)["pilote"]
    client.force_login(pilote)
    reponse = client.post(
        _url(marche, "duree"),
        _donnees(marche, "duree", calendrier="Janvier à décembre"),
        headers={"HX-Request": "true"},
    )
    assert reponse.status_code == 200
    assert "Enregistré à" in reponse.text
    assert 'name="version" value="1"' in reponse.text
    assert 'id="menu-cctp"' in reponse.text and 'data-hx-swap-oob="true"' in reponse.text
    assert "Complète" in reponse.text.split("Durée et calendrier")[1].split("</a>")[0]
    partie = PartieCctp.objects.get(marche=marche, slug="duree")
    assert (partie.version, partie.contenu["calendrier"], partie.modifie_par) == (
        1,
        "Janvier à décembre",
        pilote,
    )
    # A stale version: the status says so, nothing changes.
    conflit = client.post(
        _url(marche, "duree"),
        {**_donnees(marche, "duree", calendrier="Autre"), "version": 0},
        headers={"HX-Request": "true"},
    )
    assert "Quelqu'un d'autre vient d'enregistrer" in conflit.text
    invalide = client.post(
        _url(marche, "duree"),
        _donnees(marche, "duree", duree_mois="20"),
        headers={"HX-Request": "true"},
    )
    assert "Non enregistré" in invalide.text
    assert PartieCctp.objects.get(marche=marche, slug="duree").version == 1


def test_un_conflit_montre_les_deux_versions_sans_rien_perdre(client, marche):
    roles = _roles(marche)
    client.force_login(roles["porteuse"])
    lue = _donnees(marche)
    partie = PartieCctp.objects.get(marche=marche, slug="objet")
    cctp_partie_enregistrer(
        partie=partie,
        valeurs={"enjeux": "Enjeux du pilote"},
        version_lue=0,
        par=roles["pilote"],
    )
    reponse = client.post(_url(marche), {**lue, "enjeux": "Enjeux de la porteuse"})
    assert reponse.status_code == 409
    page = reponse.text
    assert roles["pilote"].get_full_name() in page
    gauche, droite = page.split("Votre version")
    assert "Enjeux du pilote" in gauche
    assert "Enjeux de la porteuse" in droite
    assert 'name="version" value="1"' in droite
    assert PartieCctp.objects.get(pk=partie.pk).contenu["enjeux"] == "Enjeux du pilote"


def test_une_erreur_s_ecrit_sous_le_champ_et_dans_le_resume(client, marche):
    client.force_login(_roles(marche)["pilote"])
    reponse = client.post(_url(marche, "duree"), _donnees(marche, "duree", duree_mois="9"))
    assert reponse.status_code == 400
    page = reponse.text
    assert "Le formulaire contient 1 erreur" in page
    assert 'href="#id_duree_mois"' in page
    assert "Au moins 10." in page.split('id="id_duree_mois"')[1]
    assert 'value="9"' in page


def test_la_grille_se_corrige_ligne_a_ligne(client, marche):
    client.force_login(_roles(marche)["pilote"])
    donnees = {
        "version": 0,
        "formule_prix": "proportionnelle",
        "note_maximale": "5",
        "criteres-TOTAL_FORMS": "2",
        "criteres-INITIAL_FORMS": "0",
        "criteres-0-libelle": "Technique",
        "criteres-0-poids": "70",
        "criteres-0-niveau": "critere",
        "criteres-1-libelle": "Prix",
        "criteres-1-poids": "40",
        "criteres-1-niveau": "critere",
        "criteres-1-est_prix": "on",
    }
    reponse = client.post(_url(marche, "criteres"), donnees)
    assert reponse.status_code == 400
    assert "totalisent 110" in reponse.text
    assert 'href="#grille"' in reponse.text
    donnees["criteres-0-poids"] = "60"
    assert client.post(_url(marche, "criteres"), donnees).status_code == 302
    grille = PartieCctp.objects.get(marche=marche, slug="criteres").contenu["criteres"]
    assert [(c["libelle"], c["poids"], c["est_prix"]) for c in grille] == [
        ("Technique", "60", False),
        ("Prix", "40", True),
    ]
    page = client.get(_url(marche, "criteres")).text
    assert 'value="Technique"' in page


def test_l_historique_dit_qui_a_enregistre_quoi(client, marche):
    roles = _roles(marche)
    client.force_login(roles["pilote"])
    client.post(_url(marche), _donnees(marche, enjeux="Un"))
    client.force_login(roles["porteuse"])
    client.post(_url(marche), _donnees(marche, problematique="Deux"))
    historique = client.get(_url(marche)).text.split("Historique de cette partie")[1]
    assert f"{roles['porteuse'].get_full_name()} :\n              problématique" in historique
    assert f"{roles['pilote'].get_full_name()} :\n              enjeux" in historique


@pytest.mark.parametrize("n", [3])
def test_la_page_d_une_partie_pose_autant_de_requetes_quel_que_soit_l_historique(client, marche, n):
    pilote = _roles(marche)["pilote"]
    client.force_login(pilote)

    def enregistrer(fois):
        for i in range(fois):
            partie = PartieCctp.objects.get(marche=marche, slug="objet")
            cctp_partie_enregistrer(
                partie=partie, valeurs={"enjeux": f"{i}"}, version_lue=partie.version, par=pilote
            )
            autre = UtilisateurFactory(organisations=[marche.atelier.collectivites.get()])
            cctp_partie_enregistrer(
                partie=PartieCctp.objects.get(pk=partie.pk),
                valeurs={"contexte": f"{i}"},
                version_lue=partie.version + 1,
                par=autre,
            )

    enregistrer(n)
    avant = nombre_de_requetes(client, _url(marche))
    enregistrer(n)
    assert nombre_de_requetes(client, _url(marche)) == avant
    grille = nombre_de_requetes(client, _url(marche, "criteres"))
    assert grille <= avant + 1


# The marché's page


def test_la_page_du_marche_montre_le_cctp_et_le_bouton_de_publication_au_pilote(client, marche):
    roles = _roles(marche)
    adresse = reverse("marches:marche", args=[marche.pk])
    client.force_login(roles["pilote"])
    page = client.get(adresse).text
    assert "Il manque encore 8 éléments au CCTP" in page
    assert reverse("marches:publier", args=[marche.pk]) not in page
    _completer(marche, roles["pilote"])
    page = client.get(adresse).text
    assert "Le CCTP est prêt à être publié" in page
    assert reverse("marches:publier", args=[marche.pk]) in page
    assert "Rédiger le CCTP" in page
    client.force_login(roles["porteuse"])
    page = client.get(adresse).text
    assert reverse("marches:publier", args=[marche.pk]) not in page
    assert "Rédiger le CCTP" in page
    client.force_login(roles["dgaln"])
    page = client.get(adresse).text
    assert "Lire le CCTP en cours" in page


def test_les_versions_publiees_montrent_leur_pdf(client, marche):
    consultation = ConsultationFactory(marche=marche)
    MarcheSubsequent.objects.filter(pk=marche.pk).update(statut=S.EN_CONSULTATION)
    version = VersionCctpFactory(consultation=consultation, rectificatif="")
    version.document = document_demander(
        source=version,
        gabarit="pdf/cctp.html",
        contexte="marches.pdf.contexte_cctp",
        titre="CCTP version 1",
        version=1,
        par=None,
    )
    version.save()
    client.force_login(_roles(marche)["pilote"])
    page = client.get(reverse("marches:marche", args=[marche.pk])).text
    assert "Version 1</strong>" in page
    assert f'id="document-{version.document.uuid}"' in page
    assert "En file d'attente" in page
    assert reverse("marches:rectifier_cctp", args=[marche.pk]) in page


# Publication


def _publication(marche, **valeurs):
    jour = limite(jours=20).date()
    donnees = {
        "vu": S.EN_PREPARATION,
        "reference_place": "2026-PLACE-0007",
        "publiee_le": timezone.localdate().isoformat(),
        "date_limite_jour": jour.isoformat(),
        "date_limite_heure": "12:00",
        "consultes": [t.groupement.pk for t in marche.accord_cadre.titularites.all()],
    }
    return {**donnees, **valeurs}


def test_le_pilote_publie_la_consultation_depuis_sa_page(client, marche):
    roles = _roles(marche)
    membres = [
        UtilisateurFactory(organisations=[t.groupement])
        for t in marche.accord_cadre.titularites.all()
    ]
    _completer(marche, roles["pilote"])
    client.force_login(roles["pilote"])
    adresse = reverse("marches:publier", args=[marche.pk])
    page = client.get(adresse).text
    assert page.count('type="checkbox"') == 2
    assert page.count("checked") == 2
    reponse = client.post(adresse, _publication(marche), follow=True)
    assert "Consultation 2026-PLACE-0007 publiée" in reponse.text
    marche.refresh_from_db()
    assert marche.statut == S.EN_CONSULTATION
    consultation = marche.consultations.get()
    jour = limite(jours=20)
    assert consultation.date_limite == jour
    destinataires = {
        c.destinataire for c in Courriel.objects.filter(gabarit="consultation_publiee")
    }
    assert destinataires == {roles["groupement"].email, *(m.email for m in membres)}


def test_une_date_impossible_se_dit_sous_son_champ(client, marche):
    roles = _roles(marche)
    _completer(marche, roles["pilote"])
    client.force_login(roles["pilote"])
    hier = timezone.localdate() - datetime.timedelta(days=1)
    reponse = client.post(
        reverse("marches:publier", args=[marche.pk]),
        _publication(marche, date_limite_jour=hier.isoformat(), consultes=[]),
    )
    assert reponse.status_code == 400
    assert "La date limite est déjà passée." in reponse.text
    assert "Consultez au moins un titulaire" in reponse.text
    assert MarcheSubsequent.objects.get(pk=marche.pk).statut == S.EN_PREPARATION


@pytest.mark.parametrize(("role", "statut"), [("porteuse", 403), ("autre_collectivite", 404)])
def test_seul_le_pilote_ouvre_la_publication(client, marche, role, statut):
    roles = _roles(marche)
    _completer(marche, roles["pilote"])
    client.force_login(roles[role])
    assert client.get(reverse("marches:publier", args=[marche.pk])).status_code == statut


def test_un_cctp_incomplet_renvoie_a_la_page_du_marche(client, marche):
    client.force_login(_roles(marche)["pilote"])
    reponse = client.get(reverse("marches:publier", args=[marche.pk]), follow=True)
    assert "Le CCTP n&#x27;est pas complet" in reponse.text


# Rectificatif


def test_le_pilote_publie_un_rectificatif(client, marche):
    roles = _roles(marche)
    _completer(marche, roles["pilote"])
    client.force_login(roles["pilote"])
    client.post(reverse("marches:publier", args=[marche.pk]), _publication(marche))
    # The porteuse reads the draft, no longer writes it; the pilot corrects it.
    client.force_login(roles["porteuse"])
    assert "statut-enregistrement" not in client.get(_url(marche, "duree")).text
    assert (
        reverse("marches:rectifier_cctp", args=[marche.pk])
        not in client.get(reverse("marches:marche", args=[marche.pk])).text
    )
    assert client.get(reverse("marches:rectifier_cctp", args=[marche.pk])).status_code == 403
    client.force_login(roles["pilote"])
    page = client.get(reverse("marches:marche", args=[marche.pk])).text
    assert "Corriger le CCTP" in page
    assert reverse("marches:rectifier_cctp", args=[marche.pk]) in page
    assert "Vous corrigez le CCTP publié" in client.get(_url(marche, "duree")).text
    assert (
        client.post(_url(marche, "duree"), _donnees(marche, "duree", duree_mois="14")).status_code
        == 302
    )
    adresse = reverse("marches:rectifier_cctp", args=[marche.pk])
    assert "version 2 de la même consultation" in client.get(adresse).text
    reponse = client.post(adresse, {"vu": 1, "objet": "Durée portée à 14 mois."}, follow=True)
    assert "Rectificatif publié : le CCTP est en version 2" in reponse.text
    again = client.post(adresse, {"vu": 2, "objet": "Encore"})
    assert again.status_code == 400
    assert "n&#x27;a pas changé" in again.text
    client.force_login(membre())
    assert client.get(adresse).status_code == 404


def test_la_page_du_marche_pose_autant_de_requetes_quel_que_soit_le_nombre_de_versions(
    client, marche
):
    consultation = ConsultationFactory(marche=marche)
    MarcheSubsequent.objects.filter(pk=marche.pk).update(statut=S.EN_CONSULTATION)
    client.force_login(_roles(marche)["pilote"])

    def publier(de, a):
        for numero in range(de, a):
            version = VersionCctpFactory(consultation=consultation, numero=numero)
            version.document = document_demander(
                source=version,
                gabarit="pdf/cctp.html",
                contexte="marches.pdf.contexte_cctp",
                titre=f"CCTP version {numero}",
                version=numero,
                par=None,
            )
            version.save()

    adresse = reverse("marches:marche", args=[marche.pk])
    publier(1, 4)
    avant = nombre_de_requetes(client, adresse)
    publier(4, 7)
    assert nombre_de_requetes(client, adresse) == avant
    assert client.get(adresse).text.count("Version ") >= 6
