from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

pages = (
    [
        path(
            "accessibilite/",
            TemplateView.as_view(template_name="pages/accessibilite.html"),
            name="accessibilite",
        ),
        path(
            "mentions-legales/",
            TemplateView.as_view(template_name="pages/mentions_legales.html"),
            name="mentions_legales",
        ),
        path(
            "donnees-personnelles/",
            TemplateView.as_view(template_name="pages/donnees_personnelles.html"),
            name="donnees_personnelles",
        ),
        path(
            "plan-du-site/",
            TemplateView.as_view(template_name="pages/plan_du_site.html"),
            name="plan_du_site",
        ),
    ],
    "pages",
)

urlpatterns = [
    path("", include("portail.urls")),
    path("ateliers/", include("ateliers.urls")),
    path("candidatures/", include("candidatures.urls")),
    path("marches/", include("marches.urls")),
    path("livrables/", include("livrables.urls")),
    path("compte/", include("comptes.urls")),
    path("documents/", include("documents.urls")),
    path("", include(pages)),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Atelier Local — administration"
admin.site.site_title = "Atelier Local"
admin.site.index_title = "Back-office"
