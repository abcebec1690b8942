from django.urls import path

from ateliers import views

app_name = "ateliers"
urlpatterns = [
    path("<int:pk>/fiche/", views.AtelierFicheView.as_view(), name="fiche"),
    path("<int:pk>/action/<slug:transition>/", views.AtelierActionView.as_view(), name="action"),
]
