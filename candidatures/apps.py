from django.apps import AppConfig


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = "Candidatures"

    def ready(self):
        from candidatures.selectors import fichiers_gardes_par_les_versions
        from documents.references import enregistrer_gardien

        enregistrer_gardien(fichiers_gardes_par_les_versions)
