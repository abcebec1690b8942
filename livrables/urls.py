from django.urls import path

from livrables import views

app_name = "livrables"
urlpatterns = [
    path("atelier/<int:pk>/", views.LivrablesView.as_view(), name="livrables"),
    path("atelier/<int:pk>/<str:type>/", views.LivrableView.as_view(), name="livrable"),
]
