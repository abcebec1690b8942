"""Read-only admin for the territorial referential, which only `charger_referentiels` writes."""

from django.contrib import admin

from territoires.models import EPCI, Departement, Region


class ReferentielAdmin(admin.ModelAdmin):
    """Lets staff browse the referential; edits would be overwritten by the next load."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReferentielAdmin):
    list_display = ["code", "nom"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(ReferentielAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "nom"]


@admin.register(EPCI)
class EPCIAdmin(ReferentielAdmin):
    list_display = ["nom", "siren", "nature", "departement", "nombre_communes", "population"]
    list_filter = ["nature", "departement__region"]
    list_select_related = ["departement"]
    search_fields = ["siren", "nom"]
    fields = [
        "siren",
        "nom",
        "nature",
        "departement",
        "departements",
        "nombre_communes",
        "population",
    ]
