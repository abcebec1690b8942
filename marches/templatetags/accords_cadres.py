from django import template
from django.utils.html import format_html

from marches.models import AccordCadre

register = template.Library()

# One colour per family (ux.md): to come (new), in force (success), expired (the plain grey).
_FAMILLES = {
    AccordCadre.Statut.A_VENIR: " fr-badge--new",
    AccordCadre.Statut.EN_COURS: " fr-badge--success",
    AccordCadre.Statut.ECHU: "",
}


@register.simple_tag
def badge_accord_cadre(accord_cadre):
    """The accord-cadre's state, read from its dates, as a DSFR badge."""
    statut = accord_cadre.statut
    return format_html(
        '<p class="fr-badge fr-badge--sm{}">{}</p>',
        _FAMILLES[statut],
        AccordCadre.Statut(statut).label,
    )
