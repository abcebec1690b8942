from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from ateliers.models import (
    Alerte,
    Atelier,
    Cadrage,
    CompteRendu,
    EtapePrevue,
    Evenement,
    InterAtelier,
    Restitution,
    Session,
)
from comptes.admin import LectureSeuleAdmin


@admin.register(Atelier)
class AtelierAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "intitule", "phase", "service_pilote", "groupement", "cree_le"]
    list_filter = ["phase", "departements__region"]
    search_fields = ["intitule", "communes"]
    autocomplete_fields = [
        "departements",
        "epcis",
        "collectivites",
        "service_pilote",
        "operateur",
        "groupement",
    ]
    readonly_fields = [
        "phase",
        "phase_depuis",
        "phase_avant_sortie",
        "cree_le",
        "modifie_le",
        "cree_par",
    ]
    list_select_related = ["service_pilote", "groupement"]

    def has_delete_permission(self, request, obj=None):
        """An atelier is never deleted: its journal tells all it went through."""
        return False

    def revert_disabled(self, request, obj=None):
        """No past version is put back: the phase moves only through its journalled actions."""
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Une version passée d'un atelier ne se rétablit pas.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Evenement)
class EvenementAdmin(LectureSeuleAdmin):
    """The journal is read-only: it tells what happened and is never rewritten."""

    list_display = ["date", "atelier", "libelle", "par", "organisation"]
    list_filter = ["libelle"]
    search_fields = ["libelle", "objet_libelle", "commentaire"]
    list_select_related = ["atelier", "par", "organisation"]


# The accompagnement moves through the portal's services, each of which journals what it does
# and may move the atelier's phase: the back office reads it.


@admin.register(Cadrage)
class CadrageAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "statut", "date", "clos_le"]
    list_filter = ["statut"]
    list_select_related = ["atelier"]


@admin.register(EtapePrevue)
class EtapePrevueAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "nature", "date_prevue"]
    list_filter = ["nature"]
    list_select_related = ["atelier"]


@admin.register(Session)
class SessionAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "numero", "statut", "date", "lieu"]
    list_filter = ["numero", "statut"]
    list_select_related = ["atelier"]


@admin.register(CompteRendu)
class CompteRenduAdmin(LectureSeuleAdmin):
    list_display = ["session", "modifie_le"]
    list_select_related = ["session__atelier"]


@admin.register(InterAtelier)
class InterAtelierAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "nature", "date", "titre"]
    list_filter = ["nature"]
    list_select_related = ["atelier"]


@admin.register(Restitution)
class RestitutionAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "date", "modifie_le"]
    list_select_related = ["atelier"]


@admin.register(Alerte)
class AlerteAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "libelle", "nature", "levee_le", "resolue_le"]
    list_filter = ["nature"]
    list_select_related = ["atelier"]
