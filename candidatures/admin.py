from django.contrib import admin

from candidatures.models import (
    Contact,
    Courrier,
    PreCandidature,
    Thematique,
    VersionCandidature,
)


@admin.register(Thematique)
class ThematiqueAdmin(admin.ModelAdmin):
    """The controlled list of themes: admins add, reword, reorder or retire them."""

    list_display = ["libelle", "famille", "ordre", "active"]
    list_editable = ["ordre", "active"]
    list_filter = ["famille", "active"]
    search_fields = ["libelle", "code"]
    prepopulated_fields = {"code": ["libelle"]}


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(PreCandidature)
class PreCandidatureAdmin(admin.ModelAdmin):
    list_display = ["atelier", "cree_le"]
    search_fields = ["atelier__intitule", "intention"]
    autocomplete_fields = ["atelier"]
    filter_horizontal = ["thematiques"]
    inlines = [ContactInline]
    list_select_related = ["atelier"]


@admin.register(Courrier)
class CourrierAdmin(admin.ModelAdmin):
    """Signed letters, read only: they are deposited by the porteurs on the portal."""

    list_display = ["candidature", "type", "fichier", "depose_le", "depose_par", "remplace_le"]
    list_filter = ["type"]
    list_select_related = ["candidature__atelier", "fichier", "depose_par"]
    readonly_fields = ["candidature", "type", "fichier", "depose_le", "depose_par", "remplace_le"]

    def has_add_permission(self, request):
        return False


@admin.register(VersionCandidature)
class VersionCandidatureAdmin(admin.ModelAdmin):
    """Deposited versions are frozen: read only."""

    list_display = ["candidature", "numero", "depose_le", "depose_par"]
    list_select_related = ["candidature__atelier", "depose_par"]
    readonly_fields = ["candidature", "numero", "depose_le", "depose_par", "contenu"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
