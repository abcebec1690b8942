import datetime

from django import forms, template
from django.utils import timezone

register = template.Library()


@register.filter
def est_facultatif(champ):
    """Say « (facultatif) » only for what the user may really leave empty: a field of a draft
    that its part needs to be complete (`attendu`) is not optional, even if a draft saves
    without it. A single box to tick is a choice, never « facultatif »."""
    if isinstance(champ.field, forms.BooleanField):
        return False
    return not champ.field.required and not getattr(champ.field, "attendu", False)


@register.filter
def iso8601(valeur):
    """The machine-readable value of a `<time datetime>`, to the second in local time: the HTML
    checker refuses the six-digit fractions of a second that `|date:'c'` prints."""
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur).replace(microsecond=0).isoformat()
    return valeur.isoformat() if valeur else ""
