from django.urls import path

from ateliers import views

app_name = "ateliers"
urlpatterns = [
    path("", views.AtelierListView.as_view(), name="liste"),
    path("<int:pk>/", views.AtelierDetailView.as_view(), name="detail"),
    path("<int:pk>/fiche/", views.AtelierFicheView.as_view(), name="fiche"),
    path("<int:pk>/action/<slug:transition>/", views.AtelierActionView.as_view(), name="action"),
]
