"""Dates as French documents write them: « 1er juillet 2026 », never « 1 juillet 2026 »."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def date_longue(valeur: datetime.date, format_: str = "j F Y") -> str:
    """The date (a datetime in Paris time) in words, with the ordinal « 1er » that French
    typography asks for the first day of a month (and only for it)."""
    if isinstance(valeur, datetime.datetime) and timezone.is_aware(valeur):
        valeur = timezone.localtime(valeur)
    texte = date_format(valeur, format_)
    if valeur.day == 1 and format_.startswith("j "):
        texte = "1er" + texte[1:]
    return texte


def date_heure_longue(valeur: datetime.datetime) -> str:
    """« 1er juillet 2026 à 14:30 », in Paris time."""
    return date_longue(valeur, "j F Y à H:i")
