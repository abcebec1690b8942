from django.urls import path

from ateliers import views
from ateliers.views import cadrage, calendrier

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
]
