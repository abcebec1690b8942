"""The convocations and their calendar invitations (RFC 5545), read back with icalendar as a
calendar client reads them: Europe/Paris times with their VTIMEZONE, one UID across every
update, a SEQUENCE that goes up when the session moves, METHOD:CANCEL when it is called off."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from ateliers.models import Session
from ateliers.services.session import session_convoquer, session_planifier, session_reporter
from ateliers.services.session_contenu import participant_enregistrer, participant_retirer
from comptes.models import Courriel
from tests.ateliers.sessions.factories import ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db

S = Session.Statut
PARIS = ZoneInfo("Europe/Paris")
JOUR = timezone.localdate() + datetime.timedelta(days=30)


def calendrier_de(message):
    """The calendar attached to an e-mail, parsed; its METHOD as the MIME part says it too."""
    [partie] = message.attachments
    assert partie.get_content_type() == "text/calendar"
    calendrier = Calendar.from_ical(partie.get_payload(decode=True))
    assert partie.get_param("method") == str(calendrier["METHOD"])
    return calendrier


def planifier(session, pilote, vu, **champs):
    return session_planifier(
        session=session,
        par=pilote,
        vu=vu,
        **{
            "date": JOUR,
            "nombre_de_jours": 2,
            "heure_debut": datetime.time(9, 30),
            "heure_fin": datetime.time(16),
            "lieu": "Maison de la Camargue",
            "adresse": "Mas du Pont de Rousty",
            "commune": "Arles",
            **champs,
        },
    )


def test_chaque_convocation_porte_son_invitation(roles, django_capture_on_commit_callbacks):
    session = SessionFactory(numero=2, statut=S.A_PLANIFIER)
    invite = ParticipantFactory(session=session, prenom="Camille", nom="Essai")
    pilote = roles(session)["pilote"]
    session = planifier(session, pilote, S.A_PLANIFIER)
    with django_capture_on_commit_callbacks(execute=True):
        session_convoquer(session=session, par=pilote, vu=S.PLANIFIEE)
    [message] = mail.outbox
    calendrier = calendrier_de(message)
    assert (str(calendrier["VERSION"]), str(calendrier["METHOD"])) == ("2.0", "REQUEST")
    [fuseau] = calendrier.walk("VTIMEZONE")
    assert str(fuseau["TZID"]) == "Europe/Paris"
    [evenement] = calendrier.walk("VEVENT")
    debut, fin = evenement.decoded("DTSTART"), evenement.decoded("DTEND")
    assert debut == datetime.datetime.combine(JOUR, datetime.time(9, 30), tzinfo=PARIS)
    assert fin == datetime.datetime.combine(
        JOUR + datetime.timedelta(days=1), datetime.time(16), tzinfo=PARIS
    )
    assert evenement["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(evenement["UID"]) == f"session-{session.uid}@atelier-local"
    assert (evenement["SEQUENCE"], str(evenement["STATUS"])) == (0, "CONFIRMED")
    assert "Session 2 : stratégie" in str(evenement["SUMMARY"])
    assert str(evenement["LOCATION"]) == "Maison de la Camargue, Mas du Pont de Rousty, Arles"
    assert str(evenement["ATTENDEE"]) == f"mailto:{invite.courriel}"
    assert evenement["ATTENDEE"].params["CN"] == "Camille Essai"
    # Written with the e-mail in the outbox: a retry after a crash sends the same invitation.
    assert Courriel.objects.get().piece_jointe_nom == "session-2.ics"


def test_un_report_annule_puis_de_nouvelles_dates_remplacent_le_meme_evenement(
    roles, django_capture_on_commit_callbacks
):
    session = SessionFactory(statut=S.A_PLANIFIER)
    ParticipantFactory(session=session)
    pilote = roles(session)["pilote"]
    session = planifier(session, pilote, S.A_PLANIFIER)
    with django_capture_on_commit_callbacks(execute=True):
        session_convoquer(session=session, par=pilote, vu=S.PLANIFIEE)
        session_reporter(
            session=session, par=pilote, vu=S.CONVOCATIONS_ENVOYEES, motif="Crue du Rhône"
        )
        session = planifier(session, pilote, S.REPORTEE, date=JOUR + datetime.timedelta(days=7))
        session_convoquer(session=session, par=pilote, vu=S.PLANIFIEE)
    invitation, annulation, nouvelle = (calendrier_de(m) for m in mail.outbox)
    evenements = [c.walk("VEVENT")[0] for c in (invitation, annulation, nouvelle)]
    assert len({str(e["UID"]) for e in evenements}) == 1
    assert [e["SEQUENCE"] for e in evenements] == [0, 1, 2]
    assert [str(c["METHOD"]) for c in (invitation, annulation, nouvelle)] == [
        "REQUEST",
        "CANCEL",
        "REQUEST",
    ]
    assert str(evenements[1]["STATUS"]) == "CANCELLED"
    assert evenements[1].decoded("DTSTART").date() == JOUR
    assert evenements[2].decoded("DTSTART").date() == JOUR + datetime.timedelta(days=7)
    assert "Motif : Crue du Rhône" in mail.outbox[1].body


def test_invite_apres_les_convocations_il_est_convoque_aussitot_et_retire_il_est_prevenu(
    roles, django_capture_on_commit_callbacks
):
    session = SessionFactory(statut=S.CONVOCATIONS_ENVOYEES)
    pilote = roles(session)["pilote"]
    with django_capture_on_commit_callbacks(execute=True):
        tardif = participant_enregistrer(
            session=session,
            par=pilote,
            vu=S.CONVOCATIONS_ENVOYEES,
            prenom="Sasha",
            nom="Tardif",
            courriel="sasha@exemple.test",
            organisation="",
            college="habitants",
        )
        participant_retirer(participant=tardif, par=pilote, vu=S.CONVOCATIONS_ENVOYEES)
    convocation, retrait = mail.outbox
    assert convocation.to == retrait.to == ["sasha@exemple.test"]
    assert str(calendrier_de(convocation)["METHOD"]) == "REQUEST"
    assert str(calendrier_de(retrait)["METHOD"]) == "CANCEL"
    assert "Invitation retirée" in retrait.subject
