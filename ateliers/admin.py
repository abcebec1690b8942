from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from ateliers.models import Atelier, Evenement
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
