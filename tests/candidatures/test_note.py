import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ateliers.models import Atelier, Phase
from ateliers.services import ActionImpossible
from candidatures.models import Candidature, Objet, PreCandidature, Thematique
from candidatures.selectors import candidature_de
from candidatures.services import (
    ConflitDeVersion,
    candidature_ouvrir,
    partie_enregistrer,
    precandidature_confirmer,
)
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier():
    collectivite = OrganisationFactory(nom="Communauté d'essai")
    return AtelierFactory(
        phase=Phase.CANDIDATURE, collectivites=[collectivite], intitule="Vallée en transition"
    )


@pytest.fixture
def redacteur(atelier):
    return UtilisateurFactory(organisations=[atelier.collectivites.get()])


def url(atelier):
    return reverse("candidatures:partie", args=[atelier.pk, "objet"])


def donnees(version, **extra):
    return {
        "version": version,
        "titre": "Vivre avec la rivière",
        "problematique": "Comment habiter une vallée inondable ?",
        "enjeux": "",
        "contexte": "",
        **extra,
    }


def test_confirmer_ouvre_la_candidature_avec_la_note_preremplie():
    atelier = AtelierFactory(phase=Phase.PRE_CANDIDATURE, intitule="Littoral mobile")
    precandidature = PreCandidature.objects.create(atelier=atelier, intention="x")
    precandidature.thematiques.set(Thematique.objects.filter(code="risques"))
    precandidature_confirmer(atelier=atelier, vu=atelier.phase, par=membre(dgaln=True))
    candidature = Candidature.objects.get(atelier=atelier)
    assert candidature.statut == Candidature.Statut.EN_REDACTION
    assert candidature.objet.titre == "Littoral mobile"
    assert [t.code for t in candidature.objet.thematiques.all()] == ["risques"]


def test_la_completude_nomme_ce_qui_manque(candidature):
    objet = candidature.objet
    assert objet.manquants() == ["thématiques", "problématique", "enjeux"]
    objet.problematique, objet.enjeux = "Une question", "Des enjeux"
    objet.save()
    objet.thematiques.set(Thematique.objects.all()[:1])
    assert objet.manquants() == []


def test_la_completude_lue_avec_la_candidature_ne_redemande_rien(candidature, atelier):
    """candidature_de reads in its own query whether the many-to-many fields a part needs have
    a row; completeness then asks nothing more, and forgets what it read once they change."""
    lue = candidature_de(Atelier.objects.get(pk=atelier.pk))
    objet = lue.objet
    with CaptureQueriesContext(connection) as requetes:
        # The localisation comes with the atelier's départements; the objet has no thème yet.
        assert "thématiques" in objet.manquants()
        assert "départements" not in lue.localisation.manquants()
    assert len(requetes) == 0
    objet.thematiques.set(Thematique.objects.all()[:1])
    assert "thématiques" not in objet.manquants()
    objet.thematiques.clear()
    assert "thématiques" in objet.manquants()
    relue = candidature_de(Atelier.objects.get(pk=atelier.pk))
    relue.objet.thematiques.add(Thematique.objects.first())
    assert "thématiques" not in relue.objet.manquants()
    assert "thématiques" not in candidature_de(Atelier.objects.get(pk=atelier.pk)).objet.manquants()


def test_enregistrer_un_brouillon_incomplet_incremente_la_version(candidature, redacteur):
    objet = partie_enregistrer(
        partie=candidature.objet,
        champs={"problematique": "Une question", "thematiques": []},
        version_lue=0,
        par=redacteur,
    )
    assert (objet.version, objet.problematique, objet.modifie_par) == (1, "Une question", redacteur)
    assert objet.history.first().history_user == redacteur
    assert objet.history.count() == 2  # the opening, then this save: one record each


def test_deux_enregistrements_depuis_la_meme_version_ne_s_ecrasent_pas(candidature, redacteur):
    partie_enregistrer(
        partie=candidature.objet, champs={"enjeux": "Le mien"}, version_lue=0, par=redacteur
    )
    with pytest.raises(ConflitDeVersion) as conflit:
        partie_enregistrer(
            partie=candidature.objet, champs={"enjeux": "L'autre"}, version_lue=0, par=redacteur
        )
    assert conflit.value.actuelle.enjeux == "Le mien"
    assert Objet.objects.get(pk=candidature.objet.pk).enjeux == "Le mien"


def test_une_candidature_deposee_n_est_plus_modifiable(atelier, redacteur):
    candidature = candidature_ouvrir(atelier=atelier)
    Candidature.objects.filter(pk=candidature.pk).update(statut=Candidature.Statut.DEPOSEE)
    with pytest.raises(ActionImpossible, match="plus modifiable"):
        partie_enregistrer(
            partie=candidature.objet, champs={"enjeux": "x"}, version_lue=0, par=redacteur
        )


def test_un_porteur_redige_et_retrouve_son_texte(client, candidature, redacteur, atelier):
    client.force_login(redacteur)
    page = client.get(url(atelier))
    assert page.status_code == 200
    assert "3 champs manquants" in page.text
    response = client.post(url(atelier), donnees(0), follow=True)
    assert "est enregistrée" in html.unescape(response.text)
    assert "Comment habiter une vallée inondable ?" in response.text
    objet = Objet.objects.get(pk=candidature.objet.pk)
    assert (objet.version, objet.titre) == (1, "Vivre avec la rivière")
    assert "Historique de cette partie" in response.text


def test_seul_ce_qui_peut_rester_vide_est_dit_facultatif(client, candidature, redacteur, atelier):
    client.force_login(redacteur)
    texte = html.unescape(client.get(url(atelier)).text)
    assert "Contexte législatif ou réglementaire (facultatif)" in texte
    assert "Problématique (facultatif)" not in texte
    assert "Thématiques (facultatif)" not in texte


def test_un_conflit_montre_les_deux_versions_sans_rien_perdre(
    client, candidature, redacteur, atelier
):
    autre = UtilisateurFactory(organisations=[atelier.collectivites.get()], prenom="Alix")
    partie_enregistrer(
        partie=candidature.objet, champs={"enjeux": "Enjeux d'Alix"}, version_lue=0, par=autre
    )
    client.force_login(redacteur)
    response = client.post(url(atelier), donnees(0, enjeux="Mes enjeux"))
    assert response.status_code == 409
    texte = html.unescape(response.text)
    assert "a enregistré cette partie pendant que vous la modifiiez" in texte
    assert "Enjeux d'Alix" in texte
    assert "Mes enjeux" in texte
    assert 'name="version" value="1"' in texte
    assert Objet.objects.get(pk=candidature.objet.pk).enjeux == "Enjeux d'Alix"


def test_l_enregistrement_automatique_renvoie_son_statut(client, candidature, redacteur, atelier):
    client.force_login(redacteur)
    response = client.post(url(atelier), donnees(0), headers={"HX-Request": "true"})
    assert "Enregistré à" in response.text
    assert 'name="version" value="1"' in response.text and "hx-swap-oob" in response.text
    conflit = client.post(url(atelier), donnees(0), headers={"HX-Request": "true"})
    assert "Quelqu'un d'autre vient d'enregistrer" in html.unescape(conflit.text)
    trop_long = client.post(
        url(atelier), donnees(1, titre="x" * 201), headers={"HX-Request": "true"}
    )
    assert "Non enregistré" in trop_long.text


def test_session_expiree_pendant_la_saisie(client, atelier, candidature):
    response = client.post(url(atelier), donnees(0), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Session expirée" in response.text
    assert "gardées dans cette page" in response.text


def test_un_texte_trop_long_est_refuse_et_garde(client, candidature, redacteur, atelier):
    client.force_login(redacteur)
    response = client.post(url(atelier), donnees(0, problematique="y" * 5001))
    assert response.status_code == 400
    assert "au plus 5000 caractères" in html.unescape(response.text).replace("\u202f", "")
    assert "y" * 5001 in response.text
    assert Objet.objects.get(pk=candidature.objet.pk).version == 0


def test_la_dgaln_lit_sans_modifier(client, candidature, atelier):
    client.force_login(membre(dgaln=True))
    page = client.get(url(atelier))
    assert page.status_code == 200 and "Lecture seule" in page.text
    assert client.post(url(atelier), donnees(0)).status_code == 403


@pytest.mark.parametrize("qui", ["groupement", "autre_collectivite", "sans_organisation"])
def test_ceux_qui_ne_voient_pas_la_candidature_ont_une_404(client, candidature, atelier, qui):
    from ateliers.models import Atelier

    if qui == "groupement":
        groupement = OrganisationFactory(groupement=True)
        Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
        user = UtilisateurFactory(organisations=[groupement])
    elif qui == "autre_collectivite":
        user = membre()
    else:
        user = UtilisateurFactory()
    client.force_login(user)
    assert client.get(url(atelier)).status_code == 404
    assert client.post(url(atelier), donnees(0)).status_code == 404


def test_la_fiche_atelier_montre_la_candidature_aux_porteurs(
    client, candidature, redacteur, atelier
):
    client.force_login(redacteur)
    page = html.unescape(client.get(reverse("portail:atelier", args=[atelier.pk])).text)
    assert 'id="candidature"' in page
    assert "Rédiger la note d'opportunité" in page
    assert "Déposer la candidature" not in page


def test_l_historique_nomme_les_champs_changes_en_un_nombre_fixe_de_requetes(
    client, candidature, redacteur, atelier
):
    from tests.requetes import nombre_de_requetes

    objet = candidature.objet
    themes = list(Thematique.objects.all())

    def enregistrer(objet, de, a):
        for n in range(de, a):
            objet = partie_enregistrer(
                partie=objet,
                champs={"enjeux": f"Enjeux {n}", "thematiques": themes[: n % 3]},
                version_lue=n,
                par=redacteur,
            )
        return objet

    client.force_login(redacteur)
    objet = enregistrer(objet, 0, 15)
    avec_n = nombre_de_requetes(client, url(atelier))
    objet = enregistrer(objet, 15, 30)
    assert nombre_de_requetes(client, url(atelier)) == avec_n
    page = client.get(url(atelier))
    lignes = page.context["historique"]
    assert len(lignes) == 10
    assert lignes[0]["champs"] == ["enjeux", "thématiques"]
    assert lignes[0]["par"] == redacteur


def test_un_titre_sur_deux_lignes_est_refuse(client, candidature, redacteur, atelier):
    """The title is a one-line text: a line break sent by a crafted request is refused."""
    client.force_login(redacteur)
    response = client.post(url(atelier), donnees(0, titre="Vivre avec\r\nla rivière"))
    assert response.status_code == 400
    assert "ne peut pas contenir de retour à la ligne" in html.unescape(response.text)
    assert Objet.objects.get(pk=candidature.objet.pk).version == 0
