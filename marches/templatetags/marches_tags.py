from django import template
from django.utils.html import format_html

from marches.models import MarcheSubsequent

register = template.Library()

S = MarcheSubsequent.Statut
# One colour per family (ux.md): waiting on someone (new), under way (info), done, refused.
_FAMILLES = {
    S.EN_CONSULTATION: "info",
    S.EN_ANALYSE: "info",
    S.ATTRIBUE: "info",
    S.NOTIFIE: "success",
    S.INFRUCTUEUX: "error",
    S.SANS_SUITE: "error",
}


@register.simple_tag
def badge_marche(marche):
    """The marché's state as a DSFR badge (a string built once: lists show one per row)."""
    return format_html(
        '<span class="fr-badge fr-badge--sm fr-badge--{} fr-badge--no-icon">{}</span>',
        _FAMILLES.get(marche.statut, "new"),
        marche.get_statut_display(),
    )
