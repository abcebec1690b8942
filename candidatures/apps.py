from django.apps import AppConfig


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = "Candidatures"

    def ready(self):
        from ateliers.sections import enregistrer_section
        from candidatures.sections import (
            section_candidature,
            section_echanges,
            section_precandidature,
        )

        enregistrer_section(section_precandidature, ordre=10)
        enregistrer_section(section_candidature, ordre=20)
        enregistrer_section(section_echanges, ordre=30)
