from django.urls import path

from ateliers import views

urlpatterns = [path("", views.AccueilView.as_view(), name="accueil")]
