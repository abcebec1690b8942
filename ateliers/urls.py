from django.urls import path

from ateliers import views
from ateliers.views import cadrage, calendrier, inter_atelier, restitution

app_name = "ateliers"
urlpatterns = [
    path("<int:pk>/fiche/", views.AtelierFicheView.as_view(), name="fiche"),
    path("<int:pk>/action/<slug:transition>/", views.AtelierActionView.as_view(), name="action"),
    path("<int:pk>/cadrage/", cadrage.CadrageView.as_view(), name="cadrage"),
    path(
        "<int:pk>/cadrage/reunion/", cadrage.CadrageModifierView.as_view(), name="cadrage_modifier"
    ),
    path(
        "<int:pk>/cadrage/calendrier/",
        cadrage.CalendrierFixerView.as_view(),
        name="calendrier_fixer",
    ),
    path("<int:pk>/calendrier/", calendrier.CalendrierView.as_view(), name="calendrier"),
    path("<int:pk>/cadrage/clore/", cadrage.CadrageCloreView.as_view(), name="cadrage_clore"),
    path(
        "<int:pk>/inter-ateliers/",
        inter_atelier.InterAteliersView.as_view(),
        name="inter_ateliers",
    ),
    path(
        "<int:pk>/inter-ateliers/ecrire/",
        inter_atelier.InterAtelierEcrireView.as_view(),
        name="inter_atelier_ecrire",
    ),
    path(
        "<int:pk>/inter-ateliers/<int:entree>/",
        inter_atelier.InterAtelierView.as_view(),
        name="inter_atelier",
    ),
    path(
        "<int:pk>/inter-ateliers/<int:entree>/modifier/",
        inter_atelier.InterAtelierModifierView.as_view(),
        name="inter_atelier_modifier",
    ),
    path(
        "<int:pk>/inter-ateliers/<int:entree>/retirer/",
        inter_atelier.InterAtelierRetirerView.as_view(),
        name="inter_atelier_retirer",
    ),
    path("<int:pk>/restitution/", restitution.RestitutionView.as_view(), name="restitution"),
    path(
        "<int:pk>/restitution/modifier/",
        restitution.RestitutionModifierView.as_view(),
        name="restitution_modifier",
    ),
]
