from django import forms, template

register = template.Library()


@register.filter
def est_facultatif(champ):
    """Say « (facultatif) » only for what the user may really leave empty: a field of a draft
    that its part needs to be complete (`attendu`) is not optional, even if a draft saves
    without it. A single box to tick is a choice, never « facultatif »."""
    if isinstance(champ.field, forms.BooleanField):
        return False
    return not champ.field.required and not getattr(champ.field, "attendu", False)
