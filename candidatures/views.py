from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from ateliers.selectors import atelier_pour_liste, ateliers_visibles
from ateliers.services import ActionImpossible
from ateliers.views import AtelierActionView
from candidatures.forms import ContactsFormSet, PreCandidatureForm
from candidatures.parties import PARTIES_PAR_SLUG, contenu_lisible, etat_des_parties
from candidatures.sections import action_qualification
from candidatures.selectors import candidature_de, historique_partie
from candidatures.services import (
    ConflitDeVersion,
    partie_enregistrer,
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
        self.service(atelier=self.atelier, par=self.request.user, **self.arguments(form))

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


class EpciOptionsView(LoginRequiredMixin, View):
    """The EPCI options of the chosen départements, for the pré-candidature form (htmx)."""

    def get(self, request):
        choisis = set(request.GET.getlist("epcis"))
        epcis = epci_des_departements(request.GET.getlist("departements")[:20])
        return render(
            request,
            "candidatures/_epci_options.html",
            {"epcis": epcis, "choisis": choisis},
        )


class PartieView(LoginRequiredMixin, View):
    """One part of the note: read by whoever may see the candidature, written by its porteurs
    while it is being drafted. A save by someone else in between is shown side by side."""

    template_name = "candidatures/partie_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            return render(request, "candidatures/_statut_enregistrement.html", {"etat": "session"})
        if request.user.is_authenticated:
            atelier = get_object_or_404(
                atelier_pour_liste(ateliers_visibles(request.user)), pk=kwargs["pk"]
            )
            candidature = candidature_de(atelier)
            if candidature is None or not request.user.has_perm(
                "candidatures.view_candidature", candidature
            ):
                raise Http404
            self.atelier, self.candidature = atelier, candidature
            self.partie = PARTIES_PAR_SLUG.get(kwargs["partie"])
            if self.partie is None:
                raise Http404
            self.contenu = getattr(candidature, self.partie.attribut)
            self.peut_rediger = request.user.has_perm(
                "candidatures.rediger_candidature", candidature
            )
        return super().dispatch(request, *args, **kwargs)

    def _initial(self):
        initial = model_to_dict(self.contenu, fields=self.partie.formulaire.ordre)
        initial["version"] = self.contenu.version
        return initial

    def _initial_depuis(self, form):
        """What the user sent, as a new form's initial values: a file just sent is not kept
        (it was not deposited), its row keeps the file deposited before."""
        initial = {}
        for nom, valeur in form.cleaned_data.items():
            if isinstance(valeur, list):
                valeur = [
                    {k: ("" if isinstance(v, UploadedFile) else v) for k, v in ligne.items()}
                    for ligne in valeur
                ]
            if not isinstance(valeur, UploadedFile):
                initial[nom] = valeur
        return initial

    def _page(self, form, *, status=200, conflit=None):
        etats = etat_des_parties(self.candidature)
        return render(
            self.request,
            "candidatures/partie_conflit.html" if conflit else self.template_name,
            {
                "atelier": self.atelier,
                "candidature": self.candidature,
                "partie": self.partie,
                "contenu": conflit or self.contenu,
                "form": form,
                "peut_rediger": self.peut_rediger,
                "etats": etats,
                "manquants": next(e["manquants"] for e in etats if e["partie"] == self.partie),
                "historique": historique_partie(self.contenu),
                "enregistre": contenu_lisible(self.partie, conflit) if conflit else [],
                "breadcrumb_data": {
                    "links": [
                        {"url": reverse("ateliers:liste"), "title": "Ateliers"},
                        {
                            "url": reverse("ateliers:detail", args=[self.atelier.pk]),
                            "title": self.atelier.reference,
                        },
                    ],
                    "current": self.partie.titre,
                },
            },
            status=status,
        )

    def get(self, request, pk, partie):
        form = self.partie.formulaire(
            initial=self._initial(),
            lignes_en_plus=request.GET.getlist("ajouter")[:5],
            contenu=self.contenu,
        )
        if not self.peut_rediger:
            form.lecture_seule()
        return self._page(form)

    def post(self, request, pk, partie):
        if not self.peut_rediger:
            raise PermissionDenied("Vous ne pouvez pas modifier cette candidature.")
        form = self.partie.formulaire(request.POST, request.FILES, contenu=self.contenu)
        if not form.is_valid():
            if request.htmx:
                return self._statut("invalide")
            return self._page(form, status=400)
        champs = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            contenu = partie_enregistrer(
                partie=self.contenu,
                champs=champs,
                version_lue=form.cleaned_data["version"],
                par=request.user,
            )
        except ConflitDeVersion as conflit:
            if request.htmx:
                return self._statut("conflit")
            fusion = self.partie.formulaire(
                initial={**self._initial_depuis(form), "version": conflit.actuelle.version},
                contenu=conflit.actuelle,
            )
            return self._page(fusion, status=409, conflit=conflit.actuelle)
        except ActionImpossible as exc:
            if request.htmx:
                return self._statut("fermee")
            messages.error(request, str(exc))
            return redirect("ateliers:detail", pk=self.atelier.pk)
        if request.htmx:
            return self._statut("enregistre", contenu=contenu)
        adresse = reverse("candidatures:partie", args=[self.atelier.pk, self.partie.slug])
        bloc = request.POST.get("ajouter")
        if bloc in self.partie.formulaire.blocs:
            # « Ajouter une ligne » saves the draft, then shows one more empty row, focused.
            nouvelle = len(getattr(contenu, bloc)) + 1
            return redirect(f"{adresse}?ajouter={bloc}#{bloc}-ligne-{nouvelle}")
        messages.success(request, f"« {self.partie.titre} » est enregistrée.")
        return redirect(adresse)

    def _statut(self, etat, contenu=None):
        return render(
            self.request,
            "candidatures/_statut_enregistrement.html",
            {"etat": etat, "contenu": contenu or self.contenu},
        )
