from django.apps import AppConfig


class LivrablesConfig(AppConfig):
    name = "livrables"
    verbose_name = "Livrables"
