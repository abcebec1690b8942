"""The pré-candidature: opened by a service or a collectivité, confirmed or declined by DGALN."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from ateliers.services import etape_de
from ateliers.views import AtelierActionView
from candidatures.forms import (
    ContactsFormSet,
    EpciOptionsForm,
    PreCandidatureForm,
)
from candidatures.sections import (
    ETAPES_CANDIDATURES,
    action_qualification,
)
from candidatures.services import (
    atelier_abandonner_en_candidature,
    precandidature_confirmer,
    precandidature_decliner,
    precandidature_ouvrir,
)
from comptes.models import Role
from comptes.selectors import profil
from territoires.selectors import epci_des_departements


class PreCandidatureOuvrirView(LoginRequiredMixin, View):
    """A DDT(M), a DREAL or a collectivité opens a pré-candidature."""

    template_name = "candidatures/precandidature_form.html"

    def dispatch(self, request, *args, **kwargs):
        p = profil(request.user)
        if request.user.is_authenticated and not (p.est_service_etat or p.est_collectivite):
            raise PermissionDenied(
                "Seuls les services de l'État et les collectivités ouvrent une pré-candidature."
            )
        return super().dispatch(request, *args, **kwargs)

    def _initial(self):
        p = profil(self.request.user)
        services = [o for o in p.organisations if o.role == Role.SERVICE_ETAT]
        departements = [o.departement for o in p.organisations if o.departement_id]
        return {
            "service_pilote": services[0] if services else None,
            "departements": departements[:1],
        }

    def _page(self, form, contacts, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "contacts": contacts,
                "breadcrumb_data": {
                    "links": [{"url": reverse("ateliers:liste"), "title": "Ateliers"}],
                    "current": "Ouvrir une pré-candidature",
                },
            },
            status=status,
        )

    def get(self, request):
        return self._page(
            PreCandidatureForm(initial=self._initial()), ContactsFormSet(prefix="contacts")
        )

    def post(self, request):
        form = PreCandidatureForm(request.POST)
        contacts = ContactsFormSet(request.POST, prefix="contacts")
        if not (form.is_valid() and contacts.is_valid()):
            return self._page(form, contacts, status=400)
        data = form.cleaned_data
        atelier = precandidature_ouvrir(
            par=request.user,
            intitule=data["intitule"],
            departements=data["departements"],
            epcis=data["epcis"],
            communes=data["communes"],
            service_pilote=data["service_pilote"],
            operateur=data["operateur"],
            intention=data["intention"],
            thematiques=data["thematiques"],
            contacts=contacts.contacts,
        )
        messages.success(
            request,
            f"Pré-candidature ouverte ({atelier.reference}). La DGALN en est informée et "
            "reviendra vers vous pour confirmer l'opportunité.",
        )
        return redirect("ateliers:detail", pk=atelier.pk)


class QualifierView(AtelierActionView):
    """DGALN confirms or declines an opportunity, through the candidatures services that tell
    the porteurs; confirmation page, refusals and messages are those of every phase change."""

    transition = None
    service = None

    def action_demandee(self):
        return action_qualification(self.atelier, self.transition)

    def executer(self, form):
        self.service(
            atelier=self.atelier, par=self.request.user, vu=self.vu(), **self.arguments(form)
        )

    def arguments(self, form):
        return {}

    def message_succes(self):
        return f"{self.action['journal']}. Les porteurs sont prévenus."


class ConfirmerView(QualifierView):
    transition = "confirmer_opportunite"
    service = staticmethod(precandidature_confirmer)


class DeclinerView(QualifierView):
    transition = "decliner_opportunite"
    service = staticmethod(precandidature_decliner)

    def arguments(self, form):
        return {"motif": form.cleaned_data["motif"]}


class AbandonnerView(QualifierView):
    """Abandon an atelier during its pré-candidature or candidature: a step candidatures owns,
    since its pré-candidature or candidature closes with it."""

    transition = "abandonner"
    service = staticmethod(atelier_abandonner_en_candidature)

    def action_demandee(self):
        if etape_de(self.atelier, self.transition) not in ETAPES_CANDIDATURES:
            raise Http404
        return super().action_demandee()

    def arguments(self, form):
        return {"motif": form.cleaned_data["motif"]}

    def message_succes(self):
        return "Atelier abandonné. Le motif est conservé au journal."


class EpciOptionsView(LoginRequiredMixin, View):
    """The EPCI options of the chosen départements, for the pré-candidature form (htmx)."""

    def get(self, request):
        # Only compared with the options' keys in the template, never sent to the database.
        choisis = set(request.GET.getlist("epcis"))
        epcis = epci_des_departements(EpciOptionsForm(request.GET).departements_choisis())
        return render(
            request,
            "candidatures/_epci_options.html",
            {"epcis": epcis, "choisis": choisis},
        )
