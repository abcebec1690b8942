from django.contrib import admin

from candidatures.models import Contact, PreCandidature, Thematique


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
