from django import template

register = template.Library()


@register.filter
def est_facultatif(champ):
    """Say « (facultatif) » only for what the user may really leave empty: a field of a draft
    that its part needs to be complete (`attendu`) is not optional, even if a draft saves
    without it."""
    return not champ.field.required and not getattr(champ.field, "attendu", False)
