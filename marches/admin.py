"""The back office of the marchés. The accords-cadres are kept here as on their pages; a
marché, its rounds, its CCTP versions and its offers move only through the portal's services
(each writes its journal line), so here they are read, never added nor deleted, and their
states never typed."""

from django.contrib import admin

from comptes.admin import LectureSeuleAdmin, LectureSeuleInline
from marches.models import (
    AccordCadre,
    Consultation,
    Critere,
    DocumentAccordCadre,
    MarcheSubsequent,
    Offre,
    TitulaireAccordCadre,
    VersionCctp,
)


class TitulaireInline(admin.TabularInline):
    model = TitulaireAccordCadre
    extra = 0
    autocomplete_fields = ["groupement"]
    fields = ["groupement", "date_notification", "type_groupement", "siret_mandataire"]
    # Removing a titulaire goes through the accord-cadre's page: it is refused once the
    # groupement was consulted, and journalled.
    can_delete = False


class DocumentInline(admin.TabularInline):
    """Documents are deposited on the accord-cadre's page, where the file is checked; here they
    are listed."""

    model = DocumentAccordCadre
    extra = 0
    fields = ("type", "titre", "version", "fichier", "ajoute_le", "ajoute_par")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccordCadre)
class AccordCadreAdmin(admin.ModelAdmin):
    list_display = ["reference", "intitule", "date_debut", "date_fin", "statut_lu"]
    list_filter = ["procedure", "ccag"]
    search_fields = ["reference", "intitule"]
    list_select_related = ["acheteur"]
    autocomplete_fields = ["acheteur"]
    inlines = [TitulaireInline, DocumentInline]

    @admin.display(description="état")
    def statut_lu(self, accord_cadre):
        return accord_cadre.get_statut_display()

    def has_delete_permission(self, request, obj=None):
        """Marchés were launched under it and the journal names it."""
        return False


@admin.register(MarcheSubsequent)
class MarcheSubsequentAdmin(admin.ModelAdmin):
    """A marché opens through its pilot's action and moves only through its journalled
    actions: only its object may be corrected here."""

    list_display = ["reference_lue", "objet", "statut", "accord_cadre", "attributaire", "ouvert_le"]
    list_filter = ["statut", "accord_cadre"]
    search_fields = ["objet", "atelier__intitule"]
    list_select_related = ["atelier", "accord_cadre", "attributaire"]
    fields = (
        "atelier",
        "numero",
        "accord_cadre",
        "objet",
        "statut",
        "statut_depuis",
        "ouvert_le",
        "ouvert_par",
        "attributaire",
        "notifie_le",
        "motif_infructueux",
        "motif_sans_suite",
    )
    readonly_fields = tuple(f for f in fields if f != "objet")

    @admin.display(description="référence")
    def reference_lue(self, marche):
        return marche.reference

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(LectureSeuleAdmin):
    """A round as the pilot recorded it from PLACE."""

    list_display = ["__str__", "marche", "publiee_le", "date_limite", "close_le"]
    list_filter = ["publiee_le"]
    search_fields = ["reference_place", "marche__objet"]
    list_select_related = ["marche__atelier"]


class CritereInline(LectureSeuleInline):
    model = Critere
    fields = ("ordre", "libelle", "parent", "poids", "est_prix")


@admin.register(VersionCctp)
class VersionCctpAdmin(LectureSeuleAdmin):
    """Published CCTP versions are frozen with their grid: offers answered them."""

    list_display = ["marche", "numero", "formule_prix", "publiee_le"]
    list_select_related = ["marche__atelier"]
    exclude = ["contenu"]
    inlines = [CritereInline]


@admin.register(Offre)
class OffreAdmin(LectureSeuleAdmin):
    """Offers are confidential (issue §9): read only, and by the portal's administrators
    alone, never by a staff account given rights on the other models."""

    list_display = ["consultation", "groupement", "recue_le", "statut"]
    list_filter = ["statut"]
    list_select_related = ["consultation__marche__atelier", "groupement"]
    exclude = ["decomposition"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)
