"""Calendar feeds at a secret address, parsed back by icalendar as a client would: events in
Europe/Paris with their VTIMEZONE, the invitations' UID, SEQUENCE up when a session moves,
CANCELLED while reported; a renewed address kills the old one; 404 for whoever may not read."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from ateliers.models import JetonAgenda, Session
from ateliers.services.agenda import jeton_agenda, jeton_agenda_renouveler
from ateliers.services.session import session_planifier, session_reporter, sessions_creer

pytestmark = pytest.mark.django_db
S = Session.Statut
JOUR = datetime.date(2027, 3, 9)


def _planifier(session, pilote, jour=JOUR, vu=S.A_PLANIFIER):
    return session_planifier(
        session=session,
        par=pilote,
        vu=vu,
        date=jour,
        nombre_de_jours=2,
        heure_debut=datetime.time(9, 30),
        heure_fin=datetime.time(17),
        lieu="Salle du conseil",
        commune="Vitré",
    )


@pytest.fixture
def planifiee(acc):
    sessions = sessions_creer(atelier=acc.atelier)
    return _planifier(sessions[0], acc.pilote)


def _lire(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(reponse.content)


def _url_sessions(user):
    return reverse("ateliers:flux_sessions", args=[jeton_agenda(utilisateur=user).jeton])


def test_mes_sessions_se_lit_sans_connexion_a_l_heure_de_paris(client, acc, planifiee):
    calendrier = _lire(client, _url_sessions(acc.groupement))
    assert calendrier["METHOD"] == "PUBLISH"
    (evenement,) = calendrier.walk("VEVENT")
    debut = evenement.decoded("DTSTART")
    assert (debut.date(), debut.hour, debut.minute) == (JOUR, 9, 30)
    assert str(debut.tzinfo) == "Europe/Paris"
    assert evenement.decoded("DTEND").date() == JOUR + datetime.timedelta(days=1)
    assert [str(z["TZID"]) for z in calendrier.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(evenement["UID"]) == f"session-{planifiee.uid}@atelier-local"
    assert "Salle du conseil" in str(evenement["LOCATION"])
    # Sessions not yet dated are not in it.
    assert Session.objects.filter(atelier=acc.atelier, date__isnull=True).count() == 2


def test_le_report_annule_puis_la_nouvelle_date_monte_la_sequence_et_garde_l_uid(
    client, acc, planifiee
):
    url = _url_sessions(acc.pilote)
    (avant,) = _lire(client, url).walk("VEVENT")
    reportee = session_reporter(session=planifiee, par=acc.pilote, vu=S.PLANIFIEE, motif="Crue")
    (annule,) = _lire(client, url).walk("VEVENT")
    assert str(annule["STATUS"]) == "CANCELLED" and annule["UID"] == avant["UID"]
    _planifier(reportee, acc.pilote, jour=JOUR + datetime.timedelta(days=14), vu=S.REPORTEE)
    (apres,) = _lire(client, url).walk("VEVENT")
    assert apres["UID"] == avant["UID"] and str(apres["STATUS"]) == "CONFIRMED"
    assert int(apres["SEQUENCE"]) > int(annule["SEQUENCE"]) >= int(avant["SEQUENCE"])
    assert apres.decoded("DTSTART").date() == JOUR + datetime.timedelta(days=14)


@pytest.mark.parametrize(
    ("qui", "lit"),
    [
        ("pilote", True),
        ("porteuse", True),
        ("groupement", True),
        ("dgaln", True),
        ("dreal", False),
        ("autre_groupement", False),
    ],
)
def test_l_agenda_d_un_atelier_par_role(client, acc, planifiee, qui, lit):
    user = getattr(acc, qui)
    jeton = jeton_agenda(utilisateur=user).jeton
    url = reverse("ateliers:flux_atelier", args=[jeton, acc.atelier.pk])
    if not lit:
        assert client.get(url).status_code == 404
        assert not _lire(client, _url_sessions(user)).walk("VEVENT")
        return
    assert len(_lire(client, url).walk("VEVENT")) == 1


def test_renouveler_tue_l_ancienne_adresse_et_un_compte_desactive_n_a_plus_d_agenda(
    client, acc, planifiee
):
    ancienne = _url_sessions(acc.porteuse)
    client.force_login(acc.porteuse)
    page = client.get(reverse("ateliers:agenda")).content.decode()
    assert ancienne in page and acc.atelier.reference in page
    renouveler = reverse("ateliers:agenda_renouveler")
    assert "Renouveler mes adresses d’agenda ?" in client.get(renouveler).content.decode()
    reponse = client.post(renouveler, follow=True)
    assert "Adresse renouvelée" in reponse.content.decode()
    nouvelle = _url_sessions(acc.porteuse)
    assert nouvelle != ancienne and nouvelle in reponse.content.decode()
    client.logout()
    assert client.get(ancienne).status_code == 404
    assert client.get(nouvelle).status_code == 200
    acc.porteuse.is_active = False
    acc.porteuse.save(update_fields=["is_active"])
    assert client.get(nouvelle).status_code == 404
    assert client.get(reverse("ateliers:flux_sessions", args=["inconnu"])).status_code == 404


def test_la_page_des_agendas_demande_une_connexion_et_le_jeton_est_unique(client, acc):
    reponse = client.get(reverse("ateliers:agenda"))
    assert reponse.status_code == 302 and reverse("comptes:connexion") in reponse.url
    premier = jeton_agenda(utilisateur=acc.pilote)
    assert jeton_agenda(utilisateur=acc.pilote) == premier
    assert jeton_agenda_renouveler(par=acc.pilote).jeton != premier.jeton
    assert JetonAgenda.objects.filter(utilisateur=acc.pilote).count() == 1
