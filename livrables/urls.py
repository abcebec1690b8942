from django.urls import path

from livrables import views
from livrables.views import cloture

app_name = "livrables"
urlpatterns = [
    path("atelier/<int:pk>/", views.LivrablesView.as_view(), name="livrables"),
    path("atelier/<int:pk>/<str:type>/", views.LivrableView.as_view(), name="livrable"),
    # cloture
    path("cloture/<int:pk>/", cloture.CloturerView.as_view(), name="cloturer"),
]
