from django.urls import path

from livrables import views
from livrables.views import feuille_route

app_name = "livrables"
urlpatterns = [
    path("atelier/<int:pk>/", views.LivrablesView.as_view(), name="livrables"),
    path("atelier/<int:pk>/<str:type>/", views.LivrableView.as_view(), name="livrable"),
]

# feuille : la feuille de route en données (son plan, son éditeur, son classeur).
urlpatterns += [
    path(
        "atelier/<int:pk>/feuille_route/plan/",
        feuille_route.FeuilleRouteView.as_view(),
        name="feuille",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/action/ajouter/",
        feuille_route.ActionView.as_view(),
        name="feuille_action_ajouter",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/action/<int:objet>/",
        feuille_route.ActionView.as_view(),
        name="feuille_action",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/ajouter/",
        feuille_route.ElementView.as_view(),
        name="feuille_ajouter",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/<int:objet>/",
        feuille_route.ElementView.as_view(),
        name="feuille_modifier",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/<int:objet>/retirer/",
        feuille_route.RetirerView.as_view(),
        name="feuille_retirer",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/<int:objet>/deplacer/",
        feuille_route.DeplacerView.as_view(),
        name="feuille_deplacer",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/importer/",
        feuille_route.ImportView.as_view(),
        name="feuille_importer",
    ),
    path(
        "atelier/<int:pk>/feuille_route/classeur.xlsx",
        feuille_route.ExportView.as_view(),
        name="feuille_exporter",
    ),
    path(
        "atelier/<int:pk>/feuille_route/version/<int:numero>/classeur.xlsx",
        feuille_route.ExportView.as_view(),
        name="feuille_exporter_version",
    ),
]
