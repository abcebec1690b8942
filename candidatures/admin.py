from django.contrib import admin
from django.utils.text import capfirst

from candidatures.models import (
    Contact,
    Courrier,
    PreCandidature,
    Thematique,
    VersionCandidature,
)
from comptes.admin import LectureSeuleAdmin


@admin.register(Thematique)
class ThematiqueAdmin(admin.ModelAdmin):
    """The controlled list of themes: admins add, reword, reorder or retire them."""

    list_display = ["libelle", "famille", "ordre", "active"]
    list_editable = ["ordre", "active"]
    list_filter = ["famille", "active"]
    search_fields = ["libelle", "code"]
    prepopulated_fields = {"code": ["libelle"]}

    def get_changelist_form(self, request, **kwargs):
        """Each editable cell is named by its column and its theme: a column header does not
        name the input under it for a screen reader."""
        formulaire = super().get_changelist_form(request, **kwargs)

        class CellulesNommees(formulaire):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for champ in self.fields.values():
                    if not champ.widget.is_hidden:
                        nom = f"{capfirst(champ.label)} : {self.instance}"
                        champ.widget.attrs["aria-label"] = nom

        return CellulesNommees


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

    def has_delete_permission(self, request, obj=None):
        """The pré-candidature is what DGALN confirmed or declined: the journal tells of it."""
        return False


@admin.register(Courrier)
class CourrierAdmin(LectureSeuleAdmin):
    """Signed letters, read only: the porteurs deposit them on the portal, the journal and the
    deposited versions name them."""

    list_display = ["candidature", "type", "fichier", "depose_le", "depose_par", "remplace_le"]
    list_filter = ["type"]
    list_select_related = ["candidature__atelier", "fichier", "depose_par"]


@admin.register(VersionCandidature)
class VersionCandidatureAdmin(LectureSeuleAdmin):
    """Deposited versions are frozen: read only."""

    list_display = ["candidature", "numero", "depose_le", "depose_par"]
    list_select_related = ["candidature__atelier", "depose_par"]
