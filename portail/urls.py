from django.urls import path

from portail import views

app_name = "portail"
urlpatterns = [
    path("", views.AccueilView.as_view(), name="accueil"),
    path("ateliers/", views.AtelierListView.as_view(), name="ateliers"),
    path("ateliers/<int:pk>/", views.AtelierDetailView.as_view(), name="atelier"),
]
