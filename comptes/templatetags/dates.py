"""`{{ valeur|jour }}` and `{{ valeur|jour_heure }}`: dates in words, « 1er » included; a
builtin of the template engine (config/settings.py), so every template has them."""

from django import template

from comptes.dates import date_heure_longue, date_longue

register = template.Library()


@register.filter(expects_localtime=True)
def jour(valeur):
    return date_longue(valeur) if valeur else ""


@register.filter(expects_localtime=True)
def jour_heure(valeur):
    return date_heure_longue(valeur) if valeur else ""
