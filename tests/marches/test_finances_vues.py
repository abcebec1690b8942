"""The money on the marché's page and the pilot's forms, for each role (200, 403, 404),
with their messages; DGALN's national page; query counts flat with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ateliers.models import Evenement
from marches.models import CodeFinances, Execution, Jalon, Paiement, Tranche
from marches.services import paiement_enregistrer
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.factories import MarcheFactory
from tests.marches.test_finances import NOTIFIE_LE, marche_notifie, ouvrir
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db


@pytest.fixture
def marche():
    return marche_notifie()


@pytest.fixture
def pilote(marche):
    return UtilisateurFactory(organisations=[marche.atelier.service_pilote])


@pytest.fixture
def execution(marche, pilote):
    return ouvrir(marche, pilote)


def _page(client, user, marche):
    client.force_login(user)
    return client.get(reverse("marches:marche", args=[marche.pk]))


def _formulaire_execution(**kwargs):
    donnees = {
        "montant_ht": "95000.00",
        "montant_tva": "19000.00",
        "montant_ttc": "114000.00",
        "numero_ej": "2101234567",
        "duree_mois": "12",
        "vu": "",
        "tranches-TOTAL_FORMS": "3",
        "tranches-INITIAL_FORMS": "0",
        "tranches-MIN_NUM_FORMS": "0",
        "tranches-MAX_NUM_FORMS": "20",
        "tranches-0-libelle": "Avance à la notification",
        "tranches-0-jalon": Jalon.AVANCE,
        "tranches-0-pourcentage": "30",
        "tranches-1-libelle": "Livrables finaux validés",
        "tranches-1-jalon": Jalon.LIVRABLES_FINAUX,
        "tranches-1-pourcentage": "70",
        "tranches-2-libelle": "",
        "tranches-2-jalon": "",
        "tranches-2-pourcentage": "",
    }
    donnees.update(kwargs)
    return donnees


# The marché's page.


def test_le_pilote_voit_le_detail_et_ses_boutons(client, execution, pilote):
    page = _page(client, pilote, execution.marche).text
    assert "Exécution financière (BOP 135)" in page
    assert "114\u00a0000\u00a0€ TTC" in page and "2101234567" in page
    assert "Avance à la notification" in page and "Exigible" in page
    assert "<td>20\u00a0%</td>" in page and "E+" not in page
    assert reverse("marches:paiement", args=[execution.marche.pk]) in page
    assert reverse("marches:execution", args=[execution.marche.pk]) in page
    assert reverse("marches:decp", args=[execution.marche.pk]) in page
    assert reverse("marches:donnees_essentielles") in page
    assert reverse("marches:finances") not in page


def test_la_dgaln_voit_le_detail_sans_les_boutons(client, execution, agent_dgaln):
    page = _page(client, agent_dgaln, execution.marche).text
    assert "2101234567" in page and "Échéancier" in page
    assert reverse("marches:finances") in page
    assert reverse("marches:paiement", args=[execution.marche.pk]) not in page
    assert reverse("marches:execution", args=[execution.marche.pk]) not in page


def test_les_porteurs_ne_voient_que_les_totaux(client, execution, porteuse_de):
    page = _page(client, porteuse_de(execution.marche), execution.marche).text
    page = page.split("Historique du marché")[0]
    assert "114\u00a0000\u00a0€ TTC" in page and "Reste à payer" in page
    assert "2101234567" not in page and "Échéancier" not in page
    assert "Paiements" not in page


def test_la_barre_des_paiements_n_a_pas_de_style_en_ligne(client, execution, pilote):
    # The CSP (style-src 'self') blocks a style attribute, and the browser says so.
    page = _page(client, pilote, execution.marche).text
    assert 'id="finances-avancement"' in page and " style=" not in page


def test_avant_l_ouverture_le_pilote_est_invite_a_ouvrir(client, marche, pilote):
    page = _page(client, pilote, marche).text
    assert "Ouvrir l'exécution financière" in page


def test_un_marche_non_notifie_ne_montre_pas_d_argent(client, pilote_de):
    marche = MarcheFactory()
    assert "Exécution financière" not in _page(client, pilote_de(marche), marche).text


@pytest.mark.parametrize(
    "url",
    [
        "marches:marche",
        "marches:execution",
        "marches:credit",
        "marches:paiement",
        "marches:decp",
    ],
)
def test_un_groupement_meme_attributaire_ne_voit_aucune_page_d_argent(client, execution, url):
    marche = execution.marche
    for user in (
        UtilisateurFactory(organisations=[marche.attributaire]),
        membre(groupement=True),
        membre(),
    ):
        client.force_login(user)
        assert client.get(reverse(url, args=[marche.pk])).status_code == 404
    tranche = execution.tranches.get(jalon=Jalon.SESSION_1)
    reponse = client.get(reverse("marches:tranche_liberer", args=[marche.pk, tranche.pk]))
    assert reponse.status_code == 404


@pytest.mark.parametrize("url", ["marches:execution", "marches:credit", "marches:paiement"])
def test_les_formulaires_sont_au_pilote(client, execution, porteuse_de, agent_dgaln, url):
    for user in (porteuse_de(execution.marche), agent_dgaln):
        client.force_login(user)
        assert client.get(reverse(url, args=[execution.marche.pk])).status_code == 403


# The pilot's forms.


def test_ouvrir_l_execution_propose_le_montant_de_l_offre(client, marche, pilote):
    client.force_login(pilote)
    page = client.get(reverse("marches:execution", args=[marche.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["montant_ht"] == Decimal("95000.00")
    assert "Session 3 tenue" in page.text
    reponse = client.post(
        reverse("marches:execution", args=[marche.pk]), _formulaire_execution(), follow=True
    )
    assert "Exécution financière ouverte" in reponse.text
    execution = Execution.objects.get(marche=marche)
    assert list(execution.tranches.values_list("libelle", "statut")) == [
        ("Avance à la notification", Tranche.Statut.EXIGIBLE),
        ("Livrables finaux validés", Tranche.Statut.PREVUE),
    ]


def test_un_echeancier_a_95_pour_cent_dit_sa_somme(client, marche, pilote):
    client.force_login(pilote)
    reponse = client.post(
        reverse("marches:execution", args=[marche.pk]),
        _formulaire_execution(**{"tranches-1-pourcentage": "65"}),
    )
    assert reponse.status_code == 400
    assert "totalisent 95\u00a0%" in reponse.text
    assert not Execution.objects.exists()


def test_un_ej_mal_forme_est_dit_sous_son_champ(client, marche, pilote):
    client.force_login(pilote)
    reponse = client.post(
        reverse("marches:execution", args=[marche.pk]), _formulaire_execution(numero_ej="12345")
    )
    assert reponse.status_code == 400
    assert "exactement 10 chiffres" in reponse.text


def test_modifier_l_execution_depuis_sa_page(client, execution, pilote):
    client.force_login(pilote)
    page = client.get(reverse("marches:execution", args=[execution.marche.pk]))
    echeancier = page.context["echeancier"]
    donnees = {
        "montant_ht": "95000.00",
        "montant_tva": "19000.00",
        "montant_ttc": "114000.00",
        "numero_ej": "2109999999",
        "duree_mois": "14",
        "vu": "1",
        **{f"tranches-{k}": v for k, v in echeancier.management_form.initial.items()},
        "tranches-MIN_NUM_FORMS": "0",
        "tranches-MAX_NUM_FORMS": "20",
    }
    for i, form in enumerate(echeancier.forms):
        for champ in ("id", "libelle", "jalon", "pourcentage"):
            valeur = form.initial.get(champ, "")
            donnees[f"tranches-{i}-{champ}"] = "" if valeur is None else str(valeur)
    reponse = client.post(
        reverse("marches:execution", args=[execution.marche.pk]), donnees, follow=True
    )
    assert "Exécution financière modifiée." in reponse.text
    execution.refresh_from_db()
    assert (execution.numero_ej, execution.duree_mois, execution.version) == ("2109999999", 14, 2)
    # The same page sent again is refused: it showed version 1.
    reponse = client.post(reverse("marches:execution", args=[execution.marche.pk]), donnees)
    assert reponse.status_code == 400
    assert "modifiée depuis que vous avez ouvert la page" in reponse.text


def test_constater_un_jalon_puis_payer(client, execution, pilote):
    client.force_login(pilote)
    marche = execution.marche
    session = execution.tranches.get(jalon=Jalon.SESSION_1)
    url = reverse("marches:tranche_liberer", args=[marche.pk, session.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "elle devient exigible" in confirmation.text
    reponse = client.post(url, follow=True)
    assert "« Session 1 tenue » est exigible" in reponse.text
    assert Tranche.objects.get(pk=session.pk).statut == Tranche.Statut.EXIGIBLE
    paiement = reverse("marches:paiement", args=[marche.pk])
    assert client.get(paiement, {"tranche": session.pk}).context["form"].initial == {
        "tranche": session.pk
    }
    reponse = client.post(
        paiement,
        {
            "tranche": session.pk,
            "date_service_fait": "2026-03-05",
            "date_mandatement": "2026-03-20",
            "montant": "22800.00",
        },
        follow=True,
    )
    assert "Paiement de 22\u00a0800,00\u00a0€ du 2026-03-20 enregistré." in reponse.text
    assert Tranche.objects.get(pk=session.pk).statut == Tranche.Statut.PAYEE
    assert Evenement.objects.filter(code=CodeFinances.PAIEMENT_ENREGISTRE).count() == 1


def test_un_paiement_trop_fort_dit_de_combien(client, execution, pilote):
    client.force_login(pilote)
    avance = execution.tranches.get(jalon=Jalon.AVANCE)
    reponse = client.post(
        reverse("marches:paiement", args=[execution.marche.pk]),
        {
            "tranche": avance.pk,
            "date_service_fait": "2026-03-05",
            "date_mandatement": "2026-03-04",
            "montant": "24050.00",
        },
    )
    assert reponse.status_code == 400
    assert "ne peut pas précéder la date du service fait" in reponse.text
    reponse = client.post(
        reverse("marches:paiement", args=[execution.marche.pk]),
        {
            "tranche": avance.pk,
            "date_service_fait": "2026-03-05",
            "date_mandatement": "2026-03-05",
            "montant": "24050.00",
        },
    )
    assert "de 1\u00a0250,00\u00a0€" in reponse.text
    assert not Paiement.objects.exists()


def test_une_tranche_prevue_n_est_pas_proposee_au_paiement(client, execution, pilote):
    client.force_login(pilote)
    prevue = execution.tranches.get(jalon=Jalon.SESSION_2)
    reponse = client.post(
        reverse("marches:paiement", args=[execution.marche.pk]),
        {
            "tranche": prevue.pk,
            "date_service_fait": "2026-03-05",
            "date_mandatement": "2026-03-05",
            "montant": "10.00",
        },
    )
    assert reponse.status_code == 400
    assert not Paiement.objects.exists()


def test_les_credits_d_une_annee(client, execution, pilote):
    client.force_login(pilote)
    reponse = client.post(
        reverse("marches:credit", args=[execution.marche.pk]),
        {"annee": "2026", "ae": "114000", "cp": "40000"},
        follow=True,
    )
    assert "Crédits 2026 enregistrés." in reponse.text
    assert "40\u00a0000\u00a0€" in reponse.text


def test_le_marche_avec_30_paiements_coute_autant_qu_avec_15(client, pilote_de):
    def marche_paye(n):
        marche = marche_notifie()
        pilote = pilote_de(marche)
        execution = ouvrir(marche, pilote)
        avance = execution.tranches.get(jalon=Jalon.AVANCE)
        for _ in range(n):
            paiement_enregistrer(
                tranche=avance,
                par=pilote,
                date_service_fait=NOTIFIE_LE,
                date_mandatement=NOTIFIE_LE,
                montant=Decimal("100.00"),
            )
        return marche, pilote

    marche, pilote = marche_paye(15)
    client.force_login(pilote)
    quinze = nombre_de_requetes(client, reverse("marches:marche", args=[marche.pk]))
    marche, pilote = marche_paye(30)
    client.force_login(pilote)
    trente = nombre_de_requetes(client, reverse("marches:marche", args=[marche.pk]))
    assert quinze == trente


# DGALN's national page.


def test_la_page_nationale_est_a_la_dgaln(client, execution, pilote, agent_dgaln):
    client.force_login(pilote)
    assert client.get(reverse("marches:finances")).status_code == 403
    client.force_login(agent_dgaln)
    page = client.get(reverse("marches:finances"))
    assert page.status_code == 200
    region = execution.marche.atelier.service_pilote.departement.region
    assert region.nom in page.text and "114\u00a0000\u00a0€" in page.text
    assert "1 marché notifié" in page.text
    autre = OrganisationFactory(dreal=True)
    filtre = client.get(reverse("marches:finances"), {"region": autre.region_id})
    assert "Aucun marché notifié ne correspond à ces filtres" in filtre.text
    annee = client.get(reverse("marches:finances"), {"annee": "2026"})
    assert "114\u00a0000\u00a0€" in annee.text


def test_la_page_nationale_coute_autant_avec_n_et_2n_marches(client, agent_dgaln):
    def notifier(n):
        for _ in range(n):
            dreal = OrganisationFactory(dreal=True)
            marche = marche_notifie(atelier__service_pilote=dreal)
            pilote = UtilisateurFactory(organisations=[dreal])
            execution = ouvrir(marche, pilote)
            paiement_enregistrer(
                tranche=execution.tranches.get(jalon=Jalon.AVANCE),
                par=pilote,
                date_service_fait=NOTIFIE_LE,
                date_mandatement=NOTIFIE_LE + datetime.timedelta(days=3),
                montant=Decimal("1000.00"),
            )

    client.force_login(agent_dgaln)
    notifier(3)
    n = nombre_de_requetes(client, reverse("marches:finances"))
    notifier(3)
    deux_n = nombre_de_requetes(client, reverse("marches:finances"))
    assert n == deux_n
    page = client.get(reverse("marches:finances"))
    assert page.context["totaux"].total.nombre == 6
