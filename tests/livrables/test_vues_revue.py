"""The review in the browser's requests: each page and each action for each role (200, 403
or 404), its message, a refused form that keeps what was typed, a stale page, CSRF."""

import html
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from ateliers.models import Evenement
from livrables.models import Action, Avis, Commentaire, Livrable, TypeLivrable, VersionLivrable
from livrables.selectors import livrable_de
from livrables.services import version_deposer
from marches.models import Jalon, Tranche
from marches.models.finances import euros
from tests.livrables.outils import (
    NOTE,
    commenter,
    demander_corrections,
    deposer,
    pdf,
    rediger,
    url,
)

pytestmark = pytest.mark.django_db

S = Livrable.Statut
FEUILLE = TypeLivrable.FEUILLE_ROUTE
ROLES = ["pilote", "porteuse", "groupement", "autre_groupement", "dreal", "dgaln"]


def messages_de(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def client_de(client, liv, role):
    client.force_login(getattr(liv, role))
    return client


def statut(liv, type=NOTE):
    return livrable_de(liv.atelier, type).statut


# The page of a livrable and the list.


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("pilote", 200),
        ("porteuse", 200),
        ("groupement", 200),
        ("dgaln", 200),
        ("autre_groupement", 404),
        ("dreal", 404),
    ],
)
def test_la_page_et_la_liste_par_role(client, liv, role, code):
    deposer(liv)
    client_de(client, liv, role)
    assert client.get(url(liv)).status_code == code
    assert client.get(reverse("livrables:livrables", args=[liv.atelier.pk])).status_code == code


def test_anonyme_renvoye_vers_la_connexion(client, liv):
    for adresse in (url(liv), url(liv, "deposer"), url(liv, "valider")):
        response = client.get(adresse)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_un_type_inconnu_est_une_page_introuvable(client, liv):
    client_de(client, liv, "pilote")
    assert client.get(url(liv, type="inconnu")).status_code == 404


def test_la_page_dit_l_etat_la_date_prevue_et_les_actions_de_chacun(client, liv):
    client_de(client, liv, "groupement")
    page = client.get(url(liv)).text
    assert "Attendu" in page and "Date prévue" in page
    assert "Déposer une version en PDF" in page
    assert "Déposer la version rédigée" not in page  # nothing written yet
    rediger(liv, methodologie="Trois temps.")
    assert "Déposer la version rédigée" in client.get(url(liv)).text
    client_de(client, liv, "pilote")
    page = client.get(url(liv)).text
    assert "Déposer une version" not in page and "Valider le livrable" not in page


def test_les_versions_la_derniere_ouverte_et_leur_pdf(client, liv):
    deposer(liv, fichier=pdf("v1.pdf"), message="Première version.")
    commenter(liv, page=3, texte="Le calendrier manque.")
    demander_corrections(liv)
    commentaire = Commentaire.objects.get()
    deposer(liv, fichier=pdf("v2.pdf"), reponses={commentaire.pk: "Ajouté page 4."})
    client_de(client, liv, "porteuse")
    page = client.get(url(liv)).text
    assert page.count('class="fr-accordion__btn"') == 2
    assert page.index('aria-expanded="true" aria-controls="version-2"') < page.index(
        'aria-expanded="false" aria-controls="version-1"'
    )
    assert "v1.pdf" in page and "v2.pdf" in page and "Première version." in page
    assert "Page 3" in page and "Ajouté page 4." in page


def test_une_version_redigee_montre_son_pdf_et_ce_qui_a_change(client, liv):
    rediger(liv, methodologie="Trois temps forts.", equipe="Deux urbanistes.")
    deposer(liv, fichier=None)
    commenter(liv, partie="methodologie", texte="Quels temps ?")
    demander_corrections(liv)
    rediger(liv, methodologie="Quatre temps forts.", equipe="Deux urbanistes.")
    deposer(liv, fichier=None, reponses={Commentaire.objects.get().pk: "Un quatrième."})
    client_de(client, liv, "pilote")
    page = client.get(url(liv)).text
    assert "Ce qui a changé depuis la version 1" in page
    assert '<del><span class="fr-sr-only">[retrait : </span>Trois' in page
    assert '<ins><span class="fr-sr-only">[ajout : </span>Quatre' in page
    assert "Partie « Methodologie »" in page
    assert "attend d'être produit" in page or "Télécharger" in page


def test_la_page_montre_le_diff_par_lignes_de_la_feuille_de_route(client, liv):
    from livrables.services.feuille_route import action_enregistrer
    from tests.livrables.feuille_route_aide import brouillon

    livrable = brouillon(liv.atelier, nombre=3)
    version_deposer(livrable=livrable, par=liv.groupement, vu=livrable.statut)
    commenter(liv, type=FEUILLE, texte="Il manque une action sur la mobilité.")
    demander_corrections(liv, type=FEUILLE)
    premiere = Action.objects.filter(livrable=livrable).first()
    action_enregistrer(
        livrable=livrable,
        par=liv.groupement,
        valeurs={
            "axe": premiere.axe,
            "titre": "Navette vers la gare",
            "priorite": 1,
            "statut": "a_engager",
        },
        financements=[],
    )
    livrable.refresh_from_db()
    version_deposer(
        livrable=livrable,
        par=liv.groupement,
        vu=livrable.statut,
        reponses={Commentaire.objects.get().pk: "Ajoutée (A4)."},
    )
    client_de(client, liv, "pilote")
    page = client.get(url(liv, type=FEUILLE)).text
    assert "Ce qui a changé depuis la version 1" in page
    assert "1 action ajoutée" in page and "<ins>A4 — Navette vers la gare</ins>" in page
    assert "2 objectifs, 2 axes, 4 actions" in page and "2 objectifs, 2 axes, 3 actions" in page


def test_les_versions_anciennes_se_lisent_a_la_demande(client, liv):
    """The three latest versions in full; an older one when asked, opened; a bad ?version=
    changes nothing."""
    for numero in range(1, 6):
        rediger(liv, methodologie=f"Version {numero} de la méthode.")
        ouverts = Commentaire.objects.filter(envoye=True, reponse="")
        deposer(liv, fichier=None, reponses={c.pk: "Repris." for c in ouverts})
        if numero < 5:
            commenter(liv, partie="methodologie", texte=f"À reprendre ({numero}).")
            demander_corrections(liv)
    client_de(client, liv, "pilote")
    page = client.get(url(liv)).text
    assert page.count("Ce qui a changé depuis la version") == 3
    assert "Version 2 de la méthode." not in page
    assert 'href="?version=2#version-2"' in page and 'href="?version=1#version-1"' in page
    assert 'aria-expanded="true" aria-controls="version-5"' in page
    # The two older ones are rows of a table: who deposited them, how many comments were sent.
    assert "Versions antérieures" in page and "À reprendre (1)." not in page
    assert 'aria-controls="version-2"' not in page and '<tr id="version-2">' in page
    ligne = page[page.index('<tr id="version-1">') :]
    ligne = ligne[: ligne.index("</tr>")]
    assert "<td>1</td>" in ligne and "Lire la version 1" in ligne
    page = client.get(url(liv) + "?version=2").text
    assert "À reprendre (2)." in page and '<tr id="version-2">' not in page
    assert "Version 2 de la méthode." in page
    assert "Ce qui a changé depuis la version 1" in page
    assert 'aria-expanded="true" aria-controls="version-2"' in page
    assert 'aria-expanded="false" aria-controls="version-5"' in page
    for mauvaise in ("abc", "-1", "99", "2.0", "1" * 40):
        reponse = client.get(url(liv) + f"?version={mauvaise}")
        assert reponse.status_code == 200
        assert 'aria-expanded="true" aria-controls="version-5"' in reponse.text


# The dépôt.


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("groupement", 200),
        ("pilote", 403),
        ("porteuse", 403),
        ("dgaln", 403),
        ("autre_groupement", 404),
        ("dreal", 404),
    ],
)
def test_deposer_par_role(client, liv, role, code):
    client_de(client, liv, role)
    assert client.get(url(liv, "deposer")).status_code == code
    response = client.post(url(liv, "deposer"), {"vu": "attendu", "fichier": pdf()})
    assert response.status_code == (302 if code == 200 else code)
    assert VersionLivrable.objects.count() == (1 if code == 200 else 0)


def test_le_groupement_depose_un_pdf(client, liv):
    client_de(client, liv, "groupement")
    response = client.post(
        url(liv, "deposer"), {"vu": "attendu", "fichier": pdf(), "message": "Voici la note."}
    )
    assert response.status_code == 302 and response["Location"] == url(liv)
    assert messages_de(response) == [
        "Version 1 déposée : le service pilote est prévenu et la relit."
    ]
    version = VersionLivrable.objects.get()
    assert version.message == "Voici la note." and version.fichier.nom_original == "note.pdf"
    assert Evenement.objects.filter(code="livrable.depose").count() == 1


def test_un_depot_refuse_garde_le_message_tape(client, liv):
    client_de(client, liv, "groupement")
    response = client.post(url(liv, "deposer"), {"vu": "attendu", "message": "Mon message."})
    assert response.status_code == 400
    assert "Mon message." in response.text and "Le formulaire contient" in response.text
    assert not VersionLivrable.objects.exists()


def test_apres_corrections_chaque_commentaire_a_sa_reponse_obligatoire(client, liv):
    deposer(liv)
    commenter(liv, page=2, texte="Précisez la méthode.")
    commenter(liv, texte="Ajoutez les membres.")
    demander_corrections(liv)
    premier, second = Commentaire.objects.order_by("pk")
    client_de(client, liv, "groupement")
    page = client.get(url(liv, "deposer")).text
    assert "Précisez la méthode." in page and "Ajoutez les membres." in page
    response = client.post(
        url(liv, "deposer"),
        {
            "vu": S.CORRECTIONS_DEMANDEES,
            "fichier": pdf(),
            "message": "Corrigée.",
            f"reponse_{premier.pk}": "Méthode précisée.",
        },
    )
    assert response.status_code == 400
    assert "Répondez à ce commentaire du service pilote." in response.text
    assert "Méthode précisée." in response.text and "Corrigée." in response.text
    assert VersionLivrable.objects.count() == 1
    response = client.post(
        url(liv, "deposer"),
        {
            "vu": S.CORRECTIONS_DEMANDEES,
            "fichier": pdf(),
            f"reponse_{premier.pk}": "Méthode précisée.",
            f"reponse_{second.pk}": "Équipe ajoutée.",
        },
    )
    assert response.status_code == 302
    assert set(Commentaire.objects.values_list("reponse", flat=True)) == {
        "Méthode précisée.",
        "Équipe ajoutée.",
    }


def test_la_version_redigee_se_depose_sans_fichier(client, liv):
    client_de(client, liv, "groupement")
    response = client.post(url(liv, "deposer_redige"), {"vu": "attendu"})
    assert response.status_code == 400
    assert "Rien n'est encore rédigé" in html.unescape(response.text)
    rediger(liv, methodologie="Trois temps.")
    assert "Déposer la version rédigée" in client.get(url(liv, "deposer_redige")).text
    response = client.post(url(liv, "deposer_redige"), {"vu": "attendu", "message": "Rédigée."})
    assert response.status_code == 302
    version = VersionLivrable.objects.get()
    assert version.mode == VersionLivrable.Mode.REDIGE and version.fichier is None


def test_un_livrable_depose_ne_se_redepose_pas(client, liv):
    deposer(liv)
    client_de(client, liv, "groupement")
    response = client.get(url(liv, "deposer"))
    assert response.status_code == 302
    assert "ne se dépose pas maintenant" in messages_de(response)[0]


def test_une_page_de_depot_perimee_ne_depose_rien(client, liv):
    client_de(client, liv, "groupement")
    response = client.post(url(liv, "deposer"), {"vu": "corrections_demandees", "fichier": pdf()})
    assert response.status_code == 400
    assert not VersionLivrable.objects.exists()


# The pilot's comments.


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("pilote", 302),
        ("groupement", 403),
        ("porteuse", 403),
        ("dgaln", 403),
        ("autre_groupement", 404),
        ("dreal", 404),
    ],
)
def test_commenter_par_role(client, liv, role, code):
    deposer(liv)
    client_de(client, liv, role)
    response = client.post(url(liv, "commenter"), {"vu": "depose", "texte": "À revoir.", "page": 2})
    assert response.status_code == code
    assert Commentaire.objects.count() == (1 if code == 302 else 0)


def test_le_pilote_commente_une_partie_et_retire_un_commentaire(client, liv):
    rediger(liv, methodologie="Trois temps.", equipe="Deux.")
    deposer(liv, fichier=None)
    client_de(client, liv, "pilote")
    page = client.get(url(liv)).text
    assert '<option value="methodologie">Methodologie</option>' in page
    response = client.post(
        url(liv, "commenter"), {"vu": "depose", "partie": "equipe", "texte": "Qui fait quoi ?"}
    )
    assert response.status_code == 302
    assert messages_de(response)[0].startswith("Commentaire enregistré")
    commentaire = Commentaire.objects.get()
    assert commentaire.partie == "equipe" and not commentaire.envoye
    retirer = url(liv, "commentaire_retirer", NOTE, commentaire.pk)
    assert "Partie « Equipe »" in client.get(retirer).text
    response = client.post(retirer, {"vu": "depose"})
    assert messages_de(response) == ["Commentaire retiré."]
    assert not Commentaire.objects.exists()


def test_un_commentaire_vide_est_refuse_et_garde_la_partie(client, liv):
    rediger(liv, methodologie="Trois temps.", equipe="Deux.")
    deposer(liv, fichier=None)
    client_de(client, liv, "pilote")
    response = client.post(url(liv, "commenter"), {"vu": "depose", "partie": "equipe"})
    assert response.status_code == 400
    assert "Écrivez la correction demandée." in response.text
    assert '<option value="equipe" selected>' in response.text


def test_un_commentaire_sur_une_page_perimee_est_refuse(client, liv):
    deposer(liv)
    commenter(liv)
    demander_corrections(liv)
    client_de(client, liv, "pilote")
    response = client.post(url(liv, "commenter"), {"vu": "depose", "texte": "Encore."})
    assert response.status_code == 302
    assert "n'était plus à jour" in messages_de(response)[0]
    assert Commentaire.objects.count() == 1


def test_seul_son_auteur_retire_un_commentaire_non_envoye(client, liv):
    deposer(liv)
    commentaire = commenter(liv)
    collegue = type(liv.pilote).objects.create(email="collegue@ddt.gouv.fr")
    collegue.organisations.set(liv.pilote.organisations.all())
    client.force_login(collegue)
    assert client.get(url(liv, "commentaire_retirer", NOTE, commentaire.pk)).status_code == 403
    demander_corrections(liv)
    client_de(client, liv, "pilote")
    response = client.post(url(liv, "commentaire_retirer", NOTE, commentaire.pk))
    assert "reste à l'historique" in messages_de(response)[0]
    assert Commentaire.objects.exists()


# Corrections and validation.


@pytest.mark.parametrize("nom", ["corrections", "valider"])
@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("pilote", 200),
        ("groupement", 403),
        ("porteuse", 403),
        ("dgaln", 403),
        ("autre_groupement", 404),
        ("dreal", 404),
    ],
)
def test_corrections_et_validation_par_role(client, liv, nom, role, code):
    deposer(liv)
    commenter(liv)
    client_de(client, liv, role)
    assert client.get(url(liv, nom)).status_code == code
    assert client.post(url(liv, nom), {"vu": "depose"}).status_code == (
        302 if code == 200 else code
    )
    assert statut(liv) == (
        S.DEPOSE if code != 200 else S.VALIDE if nom == "valider" else S.CORRECTIONS_DEMANDEES
    )


def test_demander_des_corrections_les_envoie_au_groupement(client, liv):
    deposer(liv)
    commenter(liv, page=2, texte="Le calendrier manque.")
    client_de(client, liv, "pilote")
    assert "Demander des corrections" in client.get(url(liv)).text
    page = client.get(url(liv, "corrections")).text
    assert "Demander des corrections ?" in page and "Page 2 : Le calendrier manque." in page
    response = client.post(url(liv, "corrections"), {"vu": "depose"})
    assert messages_de(response)[0].startswith("Corrections demandées : le groupement")
    assert statut(liv) == S.CORRECTIONS_DEMANDEES and Commentaire.objects.get().envoye
    client_de(client, liv, "groupement")
    assert "Le calendrier manque." in client.get(url(liv)).text


def test_pas_de_bouton_de_corrections_sans_commentaire(client, liv):
    deposer(liv)
    client_de(client, liv, "pilote")
    assert "Demander des corrections" not in client.get(url(liv)).text
    response = client.post(url(liv, "corrections"), {"vu": "depose"})
    assert "au moins un commentaire" in messages_de(response)[0]
    assert statut(liv) == S.DEPOSE


def test_le_groupement_ne_lit_pas_les_commentaires_non_envoyes(client, liv):
    deposer(liv)
    commenter(liv, texte="Brouillon du pilote.")
    client_de(client, liv, "groupement")
    assert "Brouillon du pilote." not in client.get(url(liv)).text


def test_la_confirmation_de_validation_dit_la_tranche_et_son_montant(client, liv):
    deposer(liv)
    client_de(client, liv, "pilote")
    page = client.get(url(liv, "valider")).text
    assert "Valider le livrable ?" in page
    assert f"la tranche « Note de cadrage validée », {euros(Decimal(22800))} TTC" in page
    response = client.post(url(liv, "valider"), {"vu": "depose"})
    assert messages_de(response) == [
        "Livrable « Note de cadrage » validé : la tranche « Note de cadrage validée » est exigible."
    ]
    tranche = Tranche.objects.get(execution=liv.execution, jalon=Jalon.NOTE_CADRAGE)
    assert tranche.statut == Tranche.Statut.EXIGIBLE
    assert Evenement.objects.filter(code="livrable.valide").count() == 1


def test_une_validation_depuis_une_page_perimee_ne_valide_pas(client, liv):
    deposer(liv)
    client_de(client, liv, "pilote")
    response = client.post(url(liv, "valider"), {"vu": "attendu"})
    assert response.status_code == 302 and messages_de(response)
    assert statut(liv) == S.DEPOSE


def test_un_livrable_valide_ne_se_valide_plus(client, liv):
    deposer(liv)
    client_de(client, liv, "pilote")
    client.post(url(liv, "valider"), {"vu": "depose"})
    response = client.get(url(liv, "valider"))
    assert response.status_code == 302 and "n'est pas possible" in messages_de(response)[-1]
    assert Tranche.objects.get(jalon=Jalon.NOTE_CADRAGE).statut == Tranche.Statut.EXIGIBLE


# The avis and the accord.


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("porteuse", 302),
        ("pilote", 403),
        ("groupement", 403),
        ("dgaln", 403),
        ("autre_groupement", 404),
        ("dreal", 404),
    ],
)
def test_avis_par_role(client, liv, role, code):
    deposer(liv)
    client_de(client, liv, role)
    response = client.post(url(liv, "avis"), {"vu": "depose", "sens": "favorable"})
    assert response.status_code == code
    assert Avis.objects.count() == (1 if code == 302 else 0)


def test_la_collectivite_donne_son_avis_motive(client, liv):
    deposer(liv)
    client_de(client, liv, "porteuse")
    assert "Votre avis sur la version 1" in client.get(url(liv)).text
    response = client.post(url(liv, "avis"), {"vu": "depose", "texte": "Bien, mais court."})
    assert response.status_code == 400
    assert "Choisissez votre avis." in response.text and "Bien, mais court." in response.text
    response = client.post(
        url(liv, "avis"), {"vu": "depose", "sens": "reserves", "texte": "Bien, mais court."}
    )
    assert messages_de(response)[0].startswith("Avis favorable avec réserves de")
    assert "Votre avis sur la version 1" not in client.get(url(liv)).text
    client_de(client, liv, "pilote")
    assert "avis favorable avec réserves" in client.get(url(liv)).text
    client_de(client, liv, "porteuse")
    response = client.post(url(liv, "avis"), {"vu": "depose", "sens": "favorable"})
    assert "déjà enregistré" in messages_de(response)[0] and Avis.objects.count() == 1


LIVRET = TypeLivrable.LIVRET


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("dgaln", 200),
        ("pilote", 403),
        ("groupement", 403),
        ("porteuse", 403),
        ("autre_groupement", 404),
        ("dreal", 404),
    ],
)
def test_accord_par_role(client, liv, role, code):
    deposer(liv, type=LIVRET)
    client_de(client, liv, role)
    assert client.get(url(liv, "accord", LIVRET)).status_code == code
    response = client.post(url(liv, "accord", LIVRET), {"vu": "depose"})
    assert response.status_code == (302 if code == 200 else code)
    accord = livrable_de(liv.atelier, LIVRET).accord_dgaln_le
    assert (accord is not None) == (code == 200)


def test_le_livret_attend_l_accord_puis_se_valide(client, liv):
    deposer(liv, type=LIVRET)
    client_de(client, liv, "pilote")
    page = client.get(url(liv, type=LIVRET)).text
    assert "L’accord de la DGALN est attendu" in page and "Valider le livrable" not in page
    client_de(client, liv, "dgaln")
    assert "Donner l&#x27;accord de la DGALN" in client.get(url(liv, type=LIVRET)).text
    response = client.post(url(liv, "accord", LIVRET), {"vu": "depose"})
    assert messages_de(response)[0].startswith("Accord de la DGALN enregistré")
    assert "Donner l&#x27;accord" not in client.get(url(liv, type=LIVRET)).text
    assert client.get(url(liv, "accord", LIVRET)).status_code == 302
    client_de(client, liv, "pilote")
    assert "Valider le livrable" in client.get(url(liv, type=LIVRET)).text


def test_l_accord_de_la_dgaln_ne_vaut_que_pour_le_livret(client, liv):
    deposer(liv)
    client_de(client, liv, "dgaln")
    assert client.get(url(liv, "accord")).status_code == 403


def test_une_action_sans_jeton_csrf_est_refusee(liv):
    deposer(liv)
    client = Client(enforce_csrf_checks=True)
    client.force_login(liv.pilote)
    response = client.post(url(liv, "valider"), {"vu": "depose"})
    assert response.status_code == 403
    assert statut(liv) == S.DEPOSE
