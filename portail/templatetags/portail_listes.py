"""The rows of the ateliers list, written in Python: a page draws 25 of them, and in the template
language each row's loops over its départements and collectivités, its filters and lookups cost
half of the page's rendering."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ateliers.templatetags.ateliers_tags import badge_phase
from comptes.dates import date_longue

register = template.Library()


@register.simple_tag
def ligne_atelier(atelier):
    """One row of `portail/atelier_list.html`: reference (a link to the atelier), title, phase,
    territory (départements, the first one's région), porteurs (collectivités, the pilot
    State service) and opening date, with its open alerts (`nombre_alertes`, set by the view).
    Everything is read from what `atelier_pour_liste` loaded."""
    departements = list(atelier.departements.all())
    territoire = format_html_join(", ", "{} ({})", ((d.nom, d.code) for d in departements))
    if departements:
        territoire = format_html(
            '{}<br><span class="fr-text--xs">{}</span>', territoire, departements[0].region.nom
        )
    porteurs = format_html_join(", ", "{}", ((c.nom,) for c in atelier.collectivites.all()))
    if atelier.service_pilote:
        porteurs = format_html(
            '{}<br><span class="fr-text--xs">{}</span>', porteurs, atelier.service_pilote.nom
        )
    phase = badge_phase(atelier)
    alertes = getattr(atelier, "nombre_alertes", 0)
    if alertes:
        phase = format_html(
            '{}<br><a class="fr-badge fr-badge--warning fr-badge--sm" href="{}">{} alerte{}</a>',
            phase,
            reverse("ateliers:calendrier", args=[atelier.pk]),
            alertes,
            "s" if alertes > 1 else "",
        )
    return format_html(
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        reverse("portail:atelier", args=[atelier.pk]),
        atelier.reference,
        atelier.intitule,
        phase,
        territoire,
        porteurs,
        date_longue(atelier.cree_le),
    )
