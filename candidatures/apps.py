from django.apps import AppConfig


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = "Candidatures"

    def ready(self):
        from ateliers.sections import enregistrer_section
        from ateliers.selectors import enregistrer_a_traiter, enregistrer_demandes
        from candidatures.sections import (
            section_candidature,
            section_echanges,
            section_precandidature,
        )
        from candidatures.selectors import (
            attentes,
            avis_a_rendre,
            fichiers_gardes_par_les_versions,
        )
        from documents.references import enregistrer_gardien

        enregistrer_section(section_precandidature, ordre=10)
        enregistrer_section(section_candidature, ordre=20)
        enregistrer_section(section_echanges, ordre=30)
        enregistrer_a_traiter(attentes)
        enregistrer_demandes(avis_a_rendre)
        enregistrer_gardien(fichiers_gardes_par_les_versions)
