"""Dates as French documents write them: « 1er juillet 2026 », never « 1 juillet 2026 »."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format

# The months as Django's French locale names them (`tests/comptes/test_dates.py` compares the
# two): the two formats the portal prints everywhere are written directly, which costs a
# tenth of `date_format` (a page of 150 actions writes 200 dates).
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
JOUR = "j F Y"
JOUR_HEURE = "j F Y à H:i"


def date_longue(valeur: datetime.date, format_: str = JOUR) -> str:
    """The date (a datetime in Paris time) in words, with the ordinal « 1er » that French
    typography asks for the first day of a month (and only for it)."""
    if isinstance(valeur, datetime.datetime) and timezone.is_aware(valeur):
        valeur = timezone.localtime(valeur)
    jour = "1er" if valeur.day == 1 else str(valeur.day)
    if format_ == JOUR:
        return f"{jour} {MOIS[valeur.month - 1]} {valeur.year}"
    if format_ == JOUR_HEURE and isinstance(valeur, datetime.datetime):
        return f"{jour} {MOIS[valeur.month - 1]} {valeur.year} à {valeur:%H:%M}"
    texte = date_format(valeur, format_)
    if valeur.day == 1 and format_.startswith("j "):
        texte = "1er" + texte[1:]
    return texte


def date_heure_longue(valeur: datetime.datetime) -> str:
    """« 1er juillet 2026 à 14:30 », in Paris time."""
    return date_longue(valeur, JOUR_HEURE)
