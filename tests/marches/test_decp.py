"""The DECP 2.0.3 export: the portal's JSON validates against the official schema (draft-07),
the CSV has one row per marché, a marché without SIRET says so, and each user exports only
the marchés they publish."""

import copy
import csv
import datetime
import html
import io
import json

import pytest
from django.urls import reverse
from jsonschema import Draft7Validator

from marches.decp import (
    SCHEMA,
    csv_decp,
    donnees_essentielles,
    erreurs_decp,
    export_decp,
    marches_pour_decp,
    schema,
    validateur,
)
from marches.models import MarcheSubsequent, TitulaireAccordCadre, TypeGroupement
from tests.comptes.factories import UtilisateurFactory, membre
from tests.marches.factories import MarcheFactory, TitulaireFactory
from tests.marches.test_finances import marche_notifie, ouvrir
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
EXEMPLE = SCHEMA.with_name("exemple_marches_avec_modifications.json")


def marche_publiable(**kwargs):
    """A notified marché with every DECP datum: the pilot's SIRET, the mandataire's, the
    execution opened."""
    marche = marche_notifie(**kwargs)
    service = marche.atelier.service_pilote
    service.siret = "13000000000019"
    service.save()
    TitulaireFactory(
        accord_cadre=marche.accord_cadre,
        groupement=marche.attributaire,
        siret_mandataire="42000000000017",
        type_groupement=TypeGroupement.SOLIDAIRE,
    )
    ouvrir(marche, UtilisateurFactory(organisations=[service]))
    return marche


def _donnees(marche):
    return donnees_essentielles(marches_pour_decp(MarcheSubsequent.objects.filter(pk=marche.pk))[0])


def test_le_schema_copie_est_le_draft_07_avec_sa_source():
    assert schema()["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert (SCHEMA.parent / "SOURCE.md").read_text().count("139bercy/format-commande-publique")


def test_le_json_du_portail_valide_le_schema_officiel():
    marche = marche_publiable()
    donnees = _donnees(marche)
    document = {"marches": {"marche": [donnees]}}
    assert list(validateur().iter_errors(document)) == []
    assert list(Draft7Validator(schema()).iter_errors(document)) == []
    assert donnees["nature"] == "Marché"
    assert donnees["techniques"] == {"technique": ["Accord-cadre"]}
    assert donnees["idAccordCadre"] == marche.accord_cadre.reference
    assert donnees["acheteur"] == {"id": "13000000000019"}
    assert donnees["titulaires"] == [
        {"titulaire": {"typeIdentifiant": "SIRET", "id": "42000000000017"}}
    ]
    # The offer's type prevails over the titularity's.
    assert donnees["typeGroupementOperateurs"] == TypeGroupement.CONJOINT
    assert (donnees["montant"], donnees["dureeMois"], donnees["offresRecues"]) == (95000, 12, 1)
    assert (donnees["attributionAvance"], donnees["tauxAvance"]) == (True, 0.2)
    assert donnees["dateNotification"] == "2026-03-02"
    assert donnees["lieuExecution"] == {
        "code": marche.atelier.departements.get().code,
        "typeCode": "Code département",
    }
    assert donnees["id"] == marche.reference and len(donnees["id"]) <= 16


def test_l_exemple_officiel_valide_avec_le_schema_copie():
    document = json.loads(EXEMPLE.read_text(encoding="utf-8"))
    assert list(Draft7Validator(schema()).iter_errors(document)) == []
    casse = copy.deepcopy(document)
    del casse["marches"]["marche"][0]["acheteur"]["id"]
    assert not Draft7Validator(schema()).is_valid(casse)


def test_un_marche_sans_siret_dit_ce_qui_manque():
    marche = marche_publiable()
    service = marche.atelier.service_pilote
    service.siret = ""
    service.save()
    TitulaireAccordCadre.objects.update(siret_mandataire="")
    erreurs = erreurs_decp(_donnees(marche))
    assert erreurs == [
        "Donnée manquante : le SIRET de l'acheteur (le service pilote : à renseigner dans sa "
        "fiche d'organisation).",
        "Donnée manquante : le SIRET du mandataire de l'attributaire (à renseigner sur sa "
        "titularité de l'accord-cadre).",
    ]


def test_un_marche_sans_execution_dit_ce_qui_manque():
    marche = marche_notifie()
    erreurs = erreurs_decp(_donnees(marche))
    assert "Donnée manquante : le montant notifié HT (ouvrez l'exécution financière)." in erreurs
    assert any("durée du marché en mois" in e for e in erreurs)


def test_un_identifiant_d_accord_cadre_trop_long_est_dit():
    marche = marche_publiable(accord_cadre__reference="ACCORD-CADRE-2024-DGALN")
    (erreur,) = erreurs_decp(_donnees(marche))
    assert erreur == (
        "Donnée invalide : l'identifiant de l'accord-cadre (« ACCORD-CADRE-2024-DGALN » "
        "dépasse 16 caractères)."
    )


def test_le_csv_a_une_ligne_par_marche():
    marches = [marche_publiable() for _ in range(3)]
    marche_notifie()  # incomplete: left out
    export = export_decp(MarcheSubsequent.objects.all())
    assert len(export.publiables) == 3 and len(export.refuses) == 1
    lignes = list(csv.DictReader(io.StringIO(csv_decp(export)), delimiter=";"))
    assert [ligne["id"] for ligne in lignes] == [m.reference for m in marches]
    assert lignes[0]["techniques"] == "Accord-cadre"
    assert lignes[0]["titulaires.id"] == "42000000000017"
    assert lignes[0]["montant"] == "95000"


# Pages and permissions.


def test_le_pilote_telecharge_le_json_de_son_marche(client):
    marche = marche_publiable()
    client.force_login(UtilisateurFactory(organisations=[marche.atelier.service_pilote]))
    reponse = client.get(reverse("marches:decp", args=[marche.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("application/json")
    document = json.loads(reponse.content)
    assert validateur().is_valid(document)
    assert [m["id"] for m in document["marches"]["marche"]] == [marche.reference]


def test_le_json_d_un_marche_incomplet_dit_ce_qui_manque(client, agent_dgaln):
    marche = marche_publiable()
    service = marche.atelier.service_pilote
    service.siret = ""
    service.save()
    client.force_login(agent_dgaln)
    reponse = client.get(reverse("marches:decp", args=[marche.pk]))
    assert reponse.status_code == 422
    assert "Donnée manquante : le SIRET de l&#x27;acheteur" in reponse.text


def test_le_json_d_un_marche_est_cache_aux_autres(client, porteuse_de):
    marche = marche_publiable()
    for user in (
        UtilisateurFactory(organisations=[marche.attributaire]),
        membre(groupement=True),
        membre(),
        membre(ddt=True),
        porteuse_de(marche),
    ):
        client.force_login(user)
        assert client.get(reverse("marches:decp", args=[marche.pk])).status_code == 404
    non_notifie = MarcheFactory()
    client.force_login(UtilisateurFactory(organisations=[non_notifie.atelier.service_pilote]))
    assert client.get(reverse("marches:decp", args=[non_notifie.pk])).status_code == 404


def test_l_export_de_tous_ne_contient_que_les_marches_visibles(client, agent_dgaln):
    mien, autre = marche_publiable(), marche_publiable()
    client.force_login(UtilisateurFactory(organisations=[mien.atelier.service_pilote]))
    document = json.loads(client.get(reverse("marches:decp_tous")).content)
    assert [m["id"] for m in document["marches"]["marche"]] == [mien.reference]
    lignes = client.get(reverse("marches:decp_csv")).content.decode("utf-8-sig").splitlines()
    assert len(lignes) == 2 and mien.reference in lignes[1]
    client.force_login(agent_dgaln)
    document = json.loads(client.get(reverse("marches:decp_tous")).content)
    assert validateur().is_valid(document)
    assert {m["id"] for m in document["marches"]["marche"]} == {mien.reference, autre.reference}
    for user in (membre(groupement=True), membre()):
        client.force_login(user)
        for url in ("marches:decp_tous", "marches:decp_csv", "marches:donnees_essentielles"):
            assert client.get(reverse(url)).status_code == 403


def test_la_page_des_donnees_essentielles_dit_lesquelles_manquent(client, agent_dgaln):
    pret = marche_publiable()
    incomplet = marche_notifie()
    client.force_login(agent_dgaln)
    page = client.get(reverse("marches:donnees_essentielles")).text
    assert "1 marché prêt à publier, 1 incomplet." in page
    assert pret.reference in page and incomplet.reference in page
    assert "Donnée manquante : le montant notifié HT" in page


def test_l_export_coute_autant_avec_n_et_2n_marches(client, agent_dgaln):
    client.force_login(agent_dgaln)
    for _ in range(2):
        marche_publiable()
    n = nombre_de_requetes(client, reverse("marches:decp_tous"))
    for _ in range(2):
        marche_publiable()
    assert nombre_de_requetes(client, reverse("marches:decp_tous")) == n
    assert (
        len(json.loads(client.get(reverse("marches:decp_tous")).content)["marches"]["marche"]) == 4
    )


def test_la_page_des_donnees_essentielles_coute_autant_avec_n_et_2n_marches(client, agent_dgaln):
    client.force_login(agent_dgaln)
    for _ in range(2):
        marche_publiable()
    n = nombre_de_requetes(client, reverse("marches:donnees_essentielles"))
    marche_notifie()
    marche_publiable()
    assert nombre_de_requetes(client, reverse("marches:donnees_essentielles")) == n


def test_la_page_des_donnees_essentielles_se_lit_page_par_page(client, agent_dgaln, monkeypatch):
    from marches.views.decp import DecpPageView

    monkeypatch.setattr(DecpPageView, "paginate_by", 2)
    ancien, recent = marche_publiable(), marche_publiable()
    incomplet = marche_notifie()
    MarcheSubsequent.objects.filter(pk=ancien.pk).update(
        notifie_le=ancien.notifie_le - datetime.timedelta(days=30)
    )
    client.force_login(agent_dgaln)
    page = html.unescape(client.get(reverse("marches:donnees_essentielles")).text)
    assert "3 marchés notifiés, les plus récents d'abord. Page 1 sur 2 : 1 prêt à publier, " in page
    assert recent.reference in page and incomplet.reference in page
    assert ancien.reference not in page
    suite = html.unescape(client.get(reverse("marches:donnees_essentielles"), {"page": 2}).text)
    assert "Page 2 sur 2 : 1 prêt à publier" in suite and ancien.reference in suite


def test_chacun_publie_les_marches_que_la_permission_lui_ouvre(agent_dgaln):
    from marches.selectors import marches_decp

    mien, autre = marche_publiable(), marche_publiable()
    MarcheFactory(atelier__service_pilote=mien.atelier.service_pilote)  # not notified
    pilote = UtilisateurFactory(organisations=[mien.atelier.service_pilote])
    admin = UtilisateurFactory(is_superuser=True, is_staff=True)
    for user in (pilote, agent_dgaln, admin, membre(groupement=True)):
        attendus = {m.pk for m in (mien, autre) if user.has_perm("marches.voir_decp", m)}
        assert set(marches_decp(user).values_list("pk", flat=True)) == attendus
    assert set(marches_decp(pilote).values_list("pk", flat=True)) == {mien.pk}
