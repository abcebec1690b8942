"""The daily alerts, with a frozen clock: raised once per cause with one e-mail per person,
never again the next night, cleared when the cause is gone; in a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ateliers.models import Alerte, Atelier, Phase
from ateliers.selectors.alertes import Cause, alertes_par_atelier
from ateliers.services.alertes import alertes_lever, alertes_synchroniser
from comptes.models import Courriel
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db
J = datetime.date
N = Alerte.Nature


def _atelier(debut, **kwargs):
    ddt = kwargs.pop("service_pilote", None) or OrganisationFactory(ddt=True)
    groupement = kwargs.pop("groupement", None) or OrganisationFactory(groupement=True)
    return AtelierFactory(
        phase=kwargs.pop("phase", Phase.SESSION_3),
        service_pilote=ddt,
        groupement=groupement,
        debut_accompagnement=debut,
        **kwargs,
    )


def _ouvertes():
    return set(Alerte.objects.filter(resolue_le__isnull=True).values_list("atelier_id", "nature"))


def test_douze_puis_quinze_mois_une_fois_chacune_puis_resolues_a_la_cloture():
    atelier = _atelier(J(2026, 1, 10))
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    equipe = UtilisateurFactory(organisations=[atelier.groupement])
    assert alertes_lever(aujourd_hui=J(2027, 1, 9)) == (0, 0)
    assert alertes_lever(aujourd_hui=J(2027, 1, 10)) == (1, 0)
    assert _ouvertes() == {(atelier.pk, N.DOUZE_MOIS)}
    courriels = Courriel.objects.order_by("destinataire")
    assert [c.destinataire for c in courriels] == sorted([pilote.email, equipe.email])
    assert "dépasse 12 mois" in courriels[0].corps and "10 janvier 2026" in courriels[0].corps
    assert f"/ateliers/{atelier.pk}/calendrier/" in courriels[0].corps
    # The next nights say nothing more.
    assert alertes_lever(aujourd_hui=J(2027, 1, 11)) == (0, 0)
    assert Courriel.objects.count() == 2
    assert alertes_lever(aujourd_hui=J(2027, 4, 10)) == (1, 0)
    assert _ouvertes() == {(atelier.pk, N.DOUZE_MOIS), (atelier.pk, N.QUINZE_MOIS)}
    assert Courriel.objects.count() == 4
    # Closed: both clear themselves, and nothing is sent about it.
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.CLOTURE)
    assert alertes_lever(aujourd_hui=J(2027, 4, 11)) == (0, 2)
    assert _ouvertes() == set() and Courriel.objects.count() == 4
    assert Alerte.objects.filter(resolue_le__isnull=False).count() == 2


def test_une_personne_recoit_un_seul_courriel_pour_toutes_ses_nouvelles_alertes():
    ddt = OrganisationFactory(ddt=True)
    pilote = UtilisateurFactory(organisations=[ddt])
    ateliers = [_atelier(J(2025, 1, 1), service_pilote=ddt) for _ in range(3)]
    assert alertes_lever(aujourd_hui=J(2026, 12, 1)) == (6, 0)
    (courriel,) = Courriel.objects.filter(destinataire=pilote.email)
    assert courriel.sujet == "6 alertes sur vos ateliers"
    assert all(a.reference in courriel.corps for a in ateliers)
    assert alertes_par_atelier([a.pk for a in ateliers]) == {a.pk: 2 for a in ateliers}


def test_une_cause_d_une_autre_nature_ne_resout_pas_les_alertes_des_autres_etapes():
    atelier = _atelier(J(2026, 6, 1))
    autre = Cause(atelier_id=atelier.pk, nature="livrable_en_retard", libelle="Livrable", cle="l:1")
    assert alertes_synchroniser(natures={"livrable_en_retard"}, causes=[autre]) == (1, 0)
    assert alertes_lever(aujourd_hui=J(2026, 7, 1)) == (0, 0)
    assert _ouvertes() == {(atelier.pk, "livrable_en_retard")}
    # Only the pilot is told: the groupement was not named for this one.
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    equipe = UtilisateurFactory(organisations=[atelier.groupement])
    second = Cause(atelier_id=atelier.pk, nature="livrable_en_retard", libelle="L2", cle="l:2")
    alertes_synchroniser(natures={"livrable_en_retard"}, causes=[autre, second])
    assert Courriel.objects.filter(destinataire=pilote.email).exists()
    assert not Courriel.objects.filter(destinataire=equipe.email).exists()


@pytest.mark.parametrize("nombre", [500, 1000])
def test_le_job_sur_mille_ateliers_tient_en_un_nombre_borne_de_requetes(nombre):
    ddts = [OrganisationFactory(ddt=True) for _ in range(5)]
    for ddt in ddts:
        UtilisateurFactory(organisations=[ddt])
    groupement = OrganisationFactory(groupement=True)
    Atelier.objects.bulk_create(
        Atelier(
            intitule=f"Atelier {i}",
            phase=Phase.SESSION_2,
            service_pilote=ddts[i % 5],
            groupement=groupement,
            debut_accompagnement=J(2025, 1, 1) if i % 2 else J(2026, 6, 1),
        )
        for i in range(nombre)
    )
    with CaptureQueriesContext(connection) as requetes:
        leves, resolus = alertes_lever(aujourd_hui=J(2026, 12, 1))
    assert (leves, resolus) == (nombre, 0)  # half the ateliers, two alerts each
    # SQLite cuts a bulk insert into batches of 999 parameters; PostgreSQL does it in one.
    assert len(requetes.captured_queries) < 20
    assert Courriel.objects.count() == 5


def test_l_accueil_et_le_calendrier_montrent_les_alertes_ouvertes_a_qui_suit_l_atelier(client):
    from django.urls import reverse

    from ateliers.services.cadrage import cadrage_ouvrir

    atelier = _atelier(J(2025, 1, 1))
    cadrage_ouvrir(atelier=atelier, debut=J(2025, 1, 1), duree_mois=12)
    alertes_lever(aujourd_hui=datetime.date.today())
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    autre = UtilisateurFactory(organisations=[OrganisationFactory(ddt=True)])
    client.force_login(pilote)
    texte = client.get(reverse("portail:accueil")).content.decode()
    assert "2 alertes sur vos ateliers" in texte and "dépasse 15 mois" in texte
    texte = client.get(reverse("ateliers:calendrier", args=[atelier.pk])).content.decode()
    assert "2 alertes" in texte and "dépasse 12 mois" in texte
    client.force_login(autre)
    assert "alertes sur vos ateliers" not in client.get(reverse("portail:accueil")).content.decode()


def test_une_session_non_tenue_puis_son_compte_rendu_en_retard_levent_chacun_une_alerte():
    from ateliers.models import CompteRendu, Session
    from ateliers.services.session import sessions_creer

    atelier = _atelier(J(2026, 9, 1))
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    equipe = UtilisateurFactory(organisations=[atelier.groupement])
    (session, *_) = sessions_creer(atelier=atelier)
    # The states as the session's services leave them (tests/ateliers/sessions test those).
    lignes = Session.objects.filter(pk=session.pk)
    lignes.update(
        statut="convocations_envoyees", date=J(2026, 10, 1), nombre_de_jours=2, lieu="Mairie"
    )
    assert alertes_lever(aujourd_hui=J(2026, 10, 9)) == (0, 0)  # 2 October + 7 days
    assert alertes_lever(aujourd_hui=J(2026, 10, 10)) == (1, 0)
    (alerte,) = Alerte.objects.filter(nature=N.SESSION_NON_TENUE)
    assert alerte.cle == f"session:{session.pk}" and "1er octobre 2026" in alerte.libelle
    assert [c.destinataire for c in Courriel.objects.all()] == [pilote.email]
    lignes.update(statut="tenue")
    assert alertes_lever(aujourd_hui=J(2026, 10, 11)) == (0, 1)
    assert alertes_lever(aujourd_hui=J(2026, 10, 17)) == (0, 0)  # 2 October + 15 days
    assert alertes_lever(aujourd_hui=J(2026, 10, 18)) == (1, 0)
    (alerte,) = Alerte.objects.filter(nature=N.COMPTE_RENDU_ATTENDU, resolue_le__isnull=True)
    assert "compte-rendu n'est pas écrit" in alerte.libelle
    assert Courriel.objects.filter(destinataire=equipe.email).count() == 1
    CompteRendu.objects.create(session=session, synthese="")
    assert alertes_lever(aujourd_hui=J(2026, 10, 19)) == (0, 0)  # an empty one is not written
    CompteRendu.objects.filter(session=session).update(synthese="Les enjeux sont partagés.")
    assert alertes_lever(aujourd_hui=J(2026, 10, 20)) == (0, 1)
    assert not Alerte.objects.filter(resolue_le__isnull=True).exists()


def test_la_liste_des_ateliers_porte_le_badge_des_alertes_en_autant_de_requetes(client):
    from django.urls import reverse

    from tests.requetes import nombre_de_requetes

    ddt = OrganisationFactory(ddt=True)
    client.force_login(UtilisateurFactory(organisations=[ddt]))
    url = reverse("portail:ateliers")

    def avec(nombre):
        for _ in range(nombre):
            _atelier(J(2024, 1, 1), service_pilote=ddt, departements=[ddt.departement])
        alertes_lever(aujourd_hui=J(2026, 12, 1))
        return nombre_de_requetes(client, url)

    assert avec(6) == avec(6)
    texte = client.get(url).content.decode()
    assert texte.count(">2 alertes</a>") == 12
    assert reverse("ateliers:calendrier", args=[Atelier.objects.first().pk]) in texte


def test_les_sessions_d_un_atelier_cloture_ou_abandonne_ne_levent_plus_d_alerte():
    """Its sessions no longer change: an alert on them would stay open for good."""
    from ateliers.models import Session
    from ateliers.services.session import sessions_creer

    for phase, sortie in (
        (Phase.SESSION_2, {}),
        (Phase.CLOTURE, {}),
        (Phase.ABANDONNE, {"sorti": True}),
    ):
        atelier = _atelier(J(2026, 9, 1), phase=phase, **sortie)
        UtilisateurFactory(organisations=[atelier.service_pilote])
        premiere, seconde, _ = sessions_creer(atelier=atelier)
        Session.objects.filter(pk=premiere.pk).update(
            statut="tenue", date=J(2026, 9, 15), lieu="Mairie"
        )
        Session.objects.filter(pk=seconde.pk).update(
            statut="planifiee", date=J(2026, 10, 1), lieu="Mairie"
        )
    assert alertes_lever(aujourd_hui=J(2026, 10, 20)) == (2, 0)
    assert {a.atelier.phase for a in Alerte.objects.all()} == {Phase.SESSION_2}
