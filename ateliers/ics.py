"""A session as a calendar invitation (RFC 5545): the same UID for ever, a SEQUENCE that goes
up each time the session moves, and METHOD:CANCEL when it is called off, so that the
participants' calendars update the event instead of adding another."""

import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from ateliers.models import Participant, Session
from comptes.services import PieceJointe

FUSEAU = ZoneInfo("Europe/Paris")
# A session without hours is given the programme's usual day.
DEBUT_PAR_DEFAUT = datetime.time(9)
FIN_PAR_DEFAUT = datetime.time(17)


def uid(session: Session) -> str:
    """Globally unique by its UUID; no host name in it, which could change with the address."""
    return f"session-{session.uid}@atelier-local"


def _adresse(courriel: str, nom: str, **parametres: str) -> vCalAddress:
    adresse = vCalAddress(f"mailto:{courriel}")
    adresse.params["CN"] = vText(nom)
    for cle, valeur in parametres.items():
        adresse.params[cle] = vText(valeur)
    return adresse


def evenement(session: Session, *, annulee: bool = False) -> Event:
    """The session's VEVENT, its times in Europe/Paris."""
    if session.date is None or session.date_fin is None:
        raise ValueError("Une session sans date n'a pas d'événement d'agenda.")
    atelier = session.atelier
    debut = datetime.datetime.combine(session.date, session.heure_debut or DEBUT_PAR_DEFAUT)
    fin = datetime.datetime.combine(session.date_fin, session.heure_fin or FIN_PAR_DEFAUT)
    event = Event()
    event.add("uid", uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", debut.replace(tzinfo=FUSEAU))
    event.add("dtend", fin.replace(tzinfo=FUSEAU))
    event.add("summary", f"{session.get_numero_display()} — {atelier.intitule}")
    lieu = ", ".join(p for p in (session.lieu, session.adresse, session.commune) if p)
    if lieu:
        event.add("location", lieu)
    event.add(
        "description",
        f"Atelier des territoires {atelier.reference} — {atelier.intitule}.\n"
        f"Thème de la session : {session.theme}.",
    )
    event.add("status", "CANCELLED" if annulee else "CONFIRMED")
    nom, courriel = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _adresse(courriel, nom or settings.PORTAIL_NOM))
    return event


def invitation(session: Session, participant: Participant, *, annulee: bool = False) -> str:
    """The calendar one participant receives: METHOD:REQUEST, or CANCEL once called off."""
    calendrier = Calendar()
    calendrier.add("prodid", f"-//{settings.PORTAIL_NOM}//Sessions des ateliers//FR")
    calendrier.add("version", "2.0")
    calendrier.add("method", "CANCEL" if annulee else "REQUEST")
    event = evenement(session, annulee=annulee)
    event.add(
        "attendee",
        _adresse(
            participant.courriel,
            f"{participant.prenom} {participant.nom}",
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="NEEDS-ACTION",
            RSVP="FALSE",
        ),
    )
    calendrier.add_component(event)
    calendrier.add_missing_timezones()
    return calendrier.to_ical().decode()


def piece_jointe(
    session: Session, participant: Participant, *, annulee: bool = False
) -> PieceJointe:
    """The invitation as an e-mail attachment."""
    methode = "CANCEL" if annulee else "REQUEST"
    return PieceJointe(
        nom=f"session-{session.numero}.ics",
        type_contenu=f"text/calendar; method={methode}",
        contenu=invitation(session, participant, annulee=annulee),
    )
