from django.urls import path

from livrables import views
from livrables.views import cloture, livret

app_name = "livrables"
urlpatterns = [
    path("atelier/<int:pk>/", views.LivrablesView.as_view(), name="livrables"),
    # livret : le livret de capitalisation, ses textes et ses images
    path("atelier/<int:pk>/livret/redaction/", livret.LivretView.as_view(), name="livret"),
    path(
        "atelier/<int:pk>/livret/redaction/partie/<slug:cle>/",
        livret.LivretPartieView.as_view(),
        name="livret_partie",
    ),
    path(
        "atelier/<int:pk>/livret/redaction/image/",
        livret.LivretImageView.as_view(),
        name="livret_image",
    ),
    path(
        "atelier/<int:pk>/livret/redaction/image/<int:image>/retirer/",
        livret.LivretImageRetirerView.as_view(),
        name="livret_image_retirer",
    ),
    path("atelier/<int:pk>/<str:type>/", views.LivrableView.as_view(), name="livrable"),
    # cloture
    path("cloture/<int:pk>/", cloture.CloturerView.as_view(), name="cloturer"),
]
