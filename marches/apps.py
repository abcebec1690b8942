from django.apps import AppConfig


class MarchesConfig(AppConfig):
    name = "marches"
    verbose_name = "Marchés subséquents"
