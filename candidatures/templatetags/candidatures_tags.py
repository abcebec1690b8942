from django import template

from candidatures.selectors import donnees_courriers as _donnees_courriers

register = template.Library()


@register.simple_tag
def donnees_courriers(candidature):
    """What a model letter prints, read as its version was computed (selectors)."""
    return _donnees_courriers(candidature)
