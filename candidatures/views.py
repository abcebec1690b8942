from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView
from django_fsm import can_proceed

from ateliers.models import Atelier
from ateliers.selectors import atelier_pour_liste, ateliers_visibles, journal_atelier
from ateliers.services import ActionImpossible
from ateliers.views import AtelierActionView, PageLaPlusProcheMixin
from candidatures.forms import (
    AnnotationForm,
    AvisForm,
    ComplementsForm,
    ContactsFormSet,
    CorrectionForm,
    CourrierForm,
    DecisionForm,
    DemandeAvisForm,
    EpciOptionsForm,
    FiltresInstructionForm,
    MessageForm,
    PreCandidatureForm,
)
from candidatures.models import DEPOSER, INSTRUIRE, Candidature, Courrier, DemandeAvis
from candidatures.parties import PARTIES, PARTIES_PAR_SLUG, contenu_lisible, etat_des_parties
from candidatures.sections import (
    ACTIONS_CANDIDATURE,
    action_deposer,
    action_qualification,
    actions_instruction,
    depot_ouvert,
)
from candidatures.selectors import (
    DOSSIER_GABARIT,
    candidature_de,
    cohorte,
    comparer_versions,
    courriers_actuels,
    derniere_version,
    documents_des,
    donnees_courriers,
    etat_des_courriers,
    experts_possibles,
    fil_echanges,
    file_instruction,
    historique_partie,
    modeles_actuels,
    pieces_a_completer_possibles,
    pieces_manquantes,
)
from candidatures.services import (
    DECISION_GABARIT,
    ConflitDeVersion,
    annotation_ecrire,
    avis_demander,
    avis_rendre,
    candidature_corriger_decision,
    candidature_decider,
    candidature_demander_complements,
    candidature_deposer,
    candidature_suivre,
    courrier_demander_modele,
    courrier_deposer,
    message_envoyer,
    partie_enregistrer,
    precandidature_confirmer,
    precandidature_decliner,
    precandidature_ouvrir,
)
from comptes.models import Role
from comptes.selectors import profil
from documents.models import FichierDepose
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


def candidature_visible(user, pk):
    """The atelier and its candidature if this user may read it; otherwise exactly a 404."""
    atelier = get_object_or_404(atelier_pour_liste(ateliers_visibles(user)), pk=pk)
    candidature = candidature_de(atelier)
    if candidature is None or not user.has_perm("candidatures.view_candidature", candidature):
        raise Http404
    return atelier, candidature


def contexte_note(atelier, candidature, *, user, page_note, courriers=None):
    """What every page of the note shows around its content: the side menu with each part's
    completeness, the letters' and the dépôt's (for whoever may deposit), and the breadcrumb."""
    etats = etat_des_parties(candidature)
    courriers = courriers_actuels(candidature) if courriers is None else courriers
    manquants = pieces_manquantes(candidature, etats=etats, courriers=courriers)
    return {
        "atelier": atelier,
        "candidature": candidature,
        "etats": etats,
        "page_note": page_note,
        "peut_deposer": depot_ouvert(candidature, user),
        "pieces_manquantes": manquants,
        "courriers_manquants": sum(
            1 for ligne in etat_des_courriers(candidature, courriers=courriers) if ligne["manque"]
        ),
    }


def _fil_ariane(atelier, courant):
    return {
        "links": [
            {"url": reverse("ateliers:liste"), "title": "Ateliers"},
            {"url": reverse("ateliers:detail", args=[atelier.pk]), "title": atelier.reference},
        ],
        "current": courant,
    }


class CandidatureMixin(LoginRequiredMixin):
    """Load the atelier of the URL and its candidature: 404 for whoever may not read it; then
    `charger()`, for what the page needs beyond them."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.atelier, self.candidature = candidature_visible(request.user, kwargs["pk"])
            self.charger()
        return super().dispatch(request, *args, **kwargs)

    def charger(self):
        pass


class PartieView(CandidatureMixin, View):
    """One part of the note: read by whoever may see the candidature, written by its porteurs
    while it is being drafted. A save by someone else in between is shown side by side."""

    template_name = "candidatures/partie_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            return render(request, "candidatures/_statut_enregistrement.html", {"etat": "session"})
        return super().dispatch(request, *args, **kwargs)

    def charger(self):
        self.partie = PARTIES_PAR_SLUG.get(self.kwargs["partie"])
        if self.partie is None:
            raise Http404
        self.contenu = getattr(self.candidature, self.partie.attribut)
        self.peut_rediger = self.request.user.has_perm(
            "candidatures.rediger_candidature", self.candidature
        ) and self.candidature.piece_modifiable(self.partie.slug)

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
        note = contexte_note(
            self.atelier, self.candidature, user=self.request.user, page_note=self.partie.slug
        )
        return render(
            self.request,
            "candidatures/partie_conflit.html" if conflit else self.template_name,
            {
                **note,
                "partie": self.partie,
                "contenu": conflit or self.contenu,
                "form": form,
                "peut_rediger": self.peut_rediger,
                "manquants": next(
                    e["manquants"] for e in note["etats"] if e["partie"] == self.partie
                ),
                "historique": historique_partie(self.contenu),
                "enregistre": contenu_lisible(self.partie, conflit) if conflit else [],
                "breadcrumb_data": _fil_ariane(self.atelier, self.partie.titre),
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
        contexte = {"etat": etat, "contenu": contenu or self.contenu}
        if etat == "enregistre":
            # The side menu comes back with the status: each part's completeness stays true.
            candidature = candidature_de(Atelier.objects.get(pk=self.atelier.pk))
            contexte.update(
                contexte_note(
                    self.atelier, candidature, user=self.request.user, page_note=self.partie.slug
                ),
                oob=True,
            )
        return render(self.request, "candidatures/_statut_enregistrement.html", contexte)


class CourriersView(CandidatureMixin, View):
    """The three letters of the dossier: for each, its model to print and sign (a PDF filled
    from the note), the signed letter deposited and the field to deposit or replace it."""

    template_name = "candidatures/courriers.html"

    def charger(self):
        self.peut_rediger = self.request.user.has_perm(
            "candidatures.rediger_candidature", self.candidature
        )

    def _page(self, formulaires=None, status=200):
        courriers = courriers_actuels(self.candidature)
        modeles = modeles_actuels(self.candidature, donnees_courriers(self.candidature))
        formulaires = formulaires or {}
        lignes = etat_des_courriers(self.candidature, courriers=courriers)
        for ligne in lignes:
            ligne["modele"] = modeles.get(ligne["type"])
            ligne["form"] = formulaires.get(ligne["type"]) or CourrierForm(prefix=ligne["type"])
            ligne["modifiable"] = self.peut_rediger and self.candidature.piece_modifiable(
                ligne["type"]
            )
        action = action_deposer(self.candidature)
        return render(
            self.request,
            self.template_name,
            {
                **contexte_note(
                    self.atelier,
                    self.candidature,
                    user=self.request.user,
                    page_note="courriers",
                    courriers=courriers,
                ),
                "courriers": lignes,
                "peut_rediger": self.peut_rediger,
                "action": action,
                "historique": Courrier.objects.filter(
                    candidature=self.candidature, remplace_le__isnull=False
                ).select_related("fichier", "depose_par"),
                "breadcrumb_data": _fil_ariane(self.atelier, "Courriers signés"),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._page()

    def _type(self):
        try:
            return Courrier.Type(self.kwargs["type_courrier"])
        except ValueError:
            raise Http404 from None

    def _adresse(self, type_courrier):
        return (
            reverse("candidatures:courriers", args=[self.atelier.pk]) + f"#courrier-{type_courrier}"
        )


class CourrierDeposerView(CourriersView):
    """Deposit (or replace) one signed letter; porteurs only, while the note is drafted."""

    def get(self, request, pk, type_courrier):
        return redirect(self._adresse(self._type()))

    def post(self, request, pk, type_courrier):
        type_courrier = self._type()
        if not (self.peut_rediger and self.candidature.piece_modifiable(type_courrier)):
            raise PermissionDenied("Vous ne pouvez pas déposer ce courrier sur cette candidature.")
        form = CourrierForm(request.POST, request.FILES, prefix=type_courrier)
        if not form.is_valid():
            return self._page({type_courrier: form}, status=400)
        remplace = type_courrier in courriers_actuels(self.candidature)
        try:
            courrier_deposer(
                candidature=self.candidature,
                type_courrier=type_courrier,
                fichier=form.cleaned_data["fichier"],
                par=request.user,
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
            return redirect("ateliers:detail", pk=self.atelier.pk)
        messages.success(
            request,
            f"« {type_courrier.label} » est {'remplacée' if remplace else 'déposée'}.",
        )
        return redirect(self._adresse(type_courrier))


class CourrierModeleView(CourriersView):
    """Ask for the model of one letter, filled from the note as it stands now."""

    def get(self, request, pk, type_courrier):
        return redirect(self._adresse(self._type()))

    def post(self, request, pk, type_courrier):
        type_courrier = self._type()
        courrier_demander_modele(
            candidature=self.candidature, type_courrier=type_courrier, par=request.user
        )
        messages.success(
            request,
            f"Le modèle « {type_courrier.label} » est demandé : il apparaît ci-dessous dès "
            "qu'il est prêt.",
        )
        return redirect(self._adresse(type_courrier))


class DeposerView(AtelierActionView):
    """The dépôt: what is missing, with links, while the dossier is incomplete; then the
    confirmation of the dépôt (the page without JavaScript, the modal otherwise)."""

    template_name = "candidatures/candidature_depot.html"

    def action_demandee(self):
        self.candidature = candidature_de(self.atelier)
        if self.candidature is None or not self.request.user.has_perm(
            "candidatures.view_candidature", self.candidature
        ):
            raise Http404
        return action_deposer(self.candidature)

    def _refus(self):
        # The candidature's transition, not the atelier's; and an incomplete dossier is shown
        # with what it lacks rather than refused.
        if not can_proceed(self.candidature.deposer, check_conditions=False):
            messages.error(
                self.request,
                f"La candidature est « {self.candidature.get_statut_display()} » : elle ne "
                "peut plus être déposée.",
            )
            return redirect(self.atelier_url())
        if not self.request.user.has_perm(DEPOSER, self.candidature):
            raise PermissionDenied("Seuls les porteurs de l'atelier déposent la candidature.")
        self.note = contexte_note(
            self.atelier, self.candidature, user=self.request.user, page_note="depot"
        )
        if self.note["pieces_manquantes"]:
            return self._page(None, status=200 if self.request.method == "GET" else 400)
        return None

    def contexte_page(self):
        return self.note

    def executer(self, form):
        self.version = candidature_deposer(
            candidature=self.candidature,
            par=self.request.user,
            vu=self.vu(),
            commentaire=form.cleaned_data["motif"],
        )

    def message_succes(self):
        return (
            f"Candidature déposée (version {self.version.numero}) : elle est transmise à la "
            "DGALN et n'est plus modifiable. Le dossier PDF est en préparation."
        )


class EchangesView(CandidatureMixin, View):
    """The thread between DGALN and the porteurs: read by whoever reads the candidature,
    written by DGALN and the porteurs, attachments through the checked upload path."""

    template_name = "candidatures/echanges.html"

    def _page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "atelier": self.atelier,
                "candidature": self.candidature,
                "fil": fil_echanges(self.candidature),
                "form": form,
                "peut_ecrire": self.request.user.has_perm(
                    "candidatures.echanger", self.candidature
                ),
                "breadcrumb_data": _fil_ariane(self.atelier, "Échanges avec la DGALN"),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._page(MessageForm())

    def post(self, request, pk):
        if not request.user.has_perm("candidatures.echanger", self.candidature):
            raise PermissionDenied("Seuls la DGALN et les porteurs écrivent dans ces échanges.")
        form = MessageForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(form, status=400)
        message_envoyer(
            candidature=self.candidature,
            par=request.user,
            texte=form.cleaned_data["texte"],
            pieces=form.cleaned_data["pieces"],
        )
        messages.success(request, "Message envoyé. Vos interlocuteurs sont prévenus par courriel.")
        return redirect(f"{reverse('candidatures:echanges', args=[pk])}#dernier-message")


class InstructionView(CandidatureMixin, View):
    """DGALN's own side of the dossier: private annotations and colleagues' opinions; nobody
    else may see it."""

    template_name = "candidatures/instruction.html"

    def _autorise(self):
        if not self.request.user.has_perm("candidatures.instruire_candidature", self.candidature):
            raise PermissionDenied("Cette page est réservée à la DGALN.")

    def _page(self, *, annotation=None, demande=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "atelier": self.atelier,
                "candidature": self.candidature,
                "annotations": self.candidature.annotations.select_related("auteur"),
                "demandes": self.candidature.demandes_avis.select_related("expert", "demandeur"),
                "form_annotation": annotation or AnnotationForm(prefix="annotation"),
                "form_avis": demande
                or DemandeAvisForm(
                    prefix="avis",
                    experts=experts_possibles(candidature=self.candidature, sauf=self.request.user),
                ),
                "breadcrumb_data": _fil_ariane(self.atelier, "Instruction interne"),
            },
            status=status,
        )

    def get(self, request, pk):
        self._autorise()
        return self._page()

    def post(self, request, pk):
        self._autorise()
        if "annotation-texte" in request.POST:
            form = AnnotationForm(request.POST, prefix="annotation")
            if not form.is_valid():
                return self._page(annotation=form, status=400)
            annotation_ecrire(
                candidature=self.candidature, par=request.user, texte=form.cleaned_data["texte"]
            )
            messages.success(request, "Annotation enregistrée (visible de la DGALN seulement).")
        else:
            form = DemandeAvisForm(
                request.POST,
                prefix="avis",
                experts=experts_possibles(candidature=self.candidature, sauf=request.user),
            )
            if not form.is_valid():
                return self._page(demande=form, status=400)
            demande = avis_demander(
                candidature=self.candidature,
                par=request.user,
                expert=form.cleaned_data["expert"],
                question=form.cleaned_data["question"],
            )
            messages.success(
                request, f"Avis demandé à {demande.expert.get_full_name()}, prévenu par courriel."
            )
        return redirect("candidatures:instruction", pk=pk)


class AvisView(LoginRequiredMixin, View):
    """The colleague asked for an opinion reads the note and gives it; DGALN reads it."""

    template_name = "candidatures/avis.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.demande = get_object_or_404(
                DemandeAvis.objects.select_related("candidature__atelier", "demandeur", "expert"),
                pk=kwargs["pk"],
            )
            if not request.user.has_perm("candidatures.view_demandeavis", self.demande):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _page(self, form, status=200):
        candidature = candidature_de(self.demande.candidature.atelier)
        version, _ = derniere_version(candidature)
        if version is not None:
            # The colleague judges the dossier DGALN received, not a draft since reopened.
            note = version.contenu["parties"]
        else:
            note = [
                {"titre": p.titre, "lisible": contenu_lisible(p, getattr(candidature, p.attribut))}
                for p in PARTIES
            ]
        return render(
            self.request,
            self.template_name,
            {
                "demande": self.demande,
                "atelier": candidature.atelier,
                "version": version,
                "note": note,
                "form": form,
                "peut_rendre": self.request.user.has_perm("candidatures.rendre_avis", self.demande),
                "breadcrumb_data": {"links": [], "current": "Avis demandé"},
            },
            status=status,
        )

    def get(self, request, pk):
        return self._page(AvisForm())

    def post(self, request, pk):
        if not request.user.has_perm("candidatures.rendre_avis", self.demande):
            raise PermissionDenied("Seul le collègue sollicité rend cet avis, une fois.")
        form = AvisForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        avis_rendre(demande=self.demande, par=request.user, avis=form.cleaned_data["avis"])
        messages.success(request, "Votre avis est transmis à la DGALN.")
        return redirect("candidatures:avis", pk=pk)


class DgalnSeulementMixin(LoginRequiredMixin):
    """Pages of DGALN's own: 403 for anyone else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not profil(request.user).est_dgaln:
            raise PermissionDenied("Cette page est réservée à la DGALN.")
        return super().dispatch(request, *args, **kwargs)


class FileInstructionView(DgalnSeulementMixin, PageLaPlusProcheMixin, ListView):
    """DGALN's review queue: the deposited candidatures, the longest waiting first, filtered by
    territory, theme, reception date, state and follower."""

    template_name = "candidatures/file_instruction.html"
    paginate_by = 25
    context_object_name = "candidatures"

    def get_queryset(self):
        self.filtres = FiltresInstructionForm(self.request.GET or None)
        return file_instruction(user=self.request.user, **self.filtres.valeurs())

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        parametres = self.request.GET.copy()
        parametres.pop("page", None)
        contexte.update(
            filtres=self.filtres,
            parametres=parametres.urlencode(),
            maintenant=timezone.now(),
            breadcrumb_data={"links": [], "current": "Candidatures à instruire"},
        )
        return contexte


class DossierView(CandidatureMixin, View):
    """A deposited dossier, for reading: the frozen note of the chosen version (or what changed
    since the previous one), its letters and PDF, decisions, history; DGALN's actions."""

    template_name = "candidatures/dossier.html"

    def get(self, request, pk):
        versions = list(self.candidature.versions.select_related("depose_par"))
        if not versions:
            messages.info(request, "Aucune version déposée de cette candidature sur le portail.")
            return redirect("ateliers:detail", pk=self.atelier.pk)
        numero = request.GET.get("version", "")
        version = next((v for v in versions if str(v.numero) == numero), versions[0])
        precedente = next((v for v in versions if v.numero == version.numero - 1), None)
        comparaison = (
            comparer_versions(precedente, version)
            if precedente and request.GET.get("comparer")
            else None
        )
        decisions = list(self.candidature.decisions.select_related("decidee_par"))
        lettres = documents_des(decisions, gabarit=DECISION_GABARIT)
        for decision in decisions:
            decision.lettre = lettres.get(decision.pk)
        instruction = request.user.has_perm(INSTRUIRE, self.candidature)
        fichiers = FichierDepose.objects.in_bulk(
            [c["fichier_id"] for c in version.contenu["courriers"]]
        )
        courriers = [
            {**c, "fichier": fichiers.get(c["fichier_id"])} for c in version.contenu["courriers"]
        ]
        return render(
            request,
            self.template_name,
            {
                "atelier": self.atelier,
                "candidature": self.candidature,
                "courriers": courriers,
                "fil": fil_echanges(self.candidature),
                "versions": versions,
                "version": version,
                "precedente": precedente,
                "comparaison": comparaison,
                "dossier": documents_des([version], gabarit=DOSSIER_GABARIT).get(version.pk),
                "decisions": decisions,
                "journal": journal_atelier(self.atelier)[:30],
                "instruction": instruction,
                "peut_ecrire": request.user.has_perm("candidatures.echanger", self.candidature),
                "actions": actions_instruction(self.candidature, request.user),
                "peut_suivre": instruction
                and self.candidature.suivie_par_id != request.user.pk
                and not self.candidature.decidee,
                "breadcrumb_data": _fil_ariane(self.atelier, "Dossier de candidature"),
            },
        )


class SuivreView(CandidatureMixin, View):
    """A DGALN agent follows the dossier (and takes it « en instruction »)."""

    def post(self, request, pk):
        try:
            candidature = candidature_suivre(
                candidature=self.candidature, par=request.user, vu=request.POST.get("vu", "")
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Vous suivez ce dossier ; il est « {candidature.get_statut_display().lower()} ».",
            )
        return redirect("candidatures:dossier", pk=pk)


class InstructionActionView(CandidatureMixin, View):
    """One of DGALN's decisions on a dossier: its form with the consequence spelled out (the
    confirmation step), then the service; refused if the state or the role does not allow it."""

    template_name = "candidatures/instruction_action.html"
    transition = None

    def _transition(self):
        return self.transition

    def _refus(self):
        # The role first: has_transition_perm is also False in a state the transition does not
        # start from, which would refuse DGALN with a 403 instead of saying why.
        if not self.request.user.has_perm(INSTRUIRE, self.candidature):
            raise PermissionDenied("Seule la DGALN décide de l'éligibilité.")
        methode = getattr(self.candidature, self._transition())
        if not can_proceed(methode):
            messages.error(
                self.request,
                "Cette action n'est pas possible : la candidature est "
                f"« {self.candidature.get_statut_display().lower()} ».",
            )
            return redirect("candidatures:dossier", pk=self.atelier.pk)
        return None

    def action_affichee(self):
        return ACTIONS_CANDIDATURE[self._transition()]

    def depose_le(self):
        """The day the version under review was deposited, which a decision cannot precede."""
        version = self.candidature.versions.first()
        return timezone.localdate(version.depose_le) if version else None

    def _page(self, form, status=200):
        action = self.action_affichee()
        return render(
            self.request,
            self.template_name,
            {
                "atelier": self.atelier,
                "candidature": self.candidature,
                "action": action,
                "form": form,
                "vu": self.candidature.statut,
                "breadcrumb_data": _fil_ariane(self.atelier, action["libelle"]),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._refus() or self._page(self.formulaire())

    def post(self, request, pk):
        refus = self._refus()
        if refus:
            return refus
        form = self.formulaire(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        try:
            message = self.executer(form.cleaned_data, vu=request.POST.get("vu", ""))
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect("candidatures:dossier", pk=pk)


class ComplementsView(InstructionActionView):
    transition = "demander_complements"

    def formulaire(self, data=None):
        return ComplementsForm(data, pieces=pieces_a_completer_possibles())

    def executer(self, donnees, *, vu):
        candidature_demander_complements(
            candidature=self.candidature,
            par=self.request.user,
            vu=vu,
            pieces=donnees["pieces"],
            message=donnees["message"],
        )
        return "Compléments demandés. Les porteurs sont prévenus ; le dossier leur est rouvert."


class DeciderView(InstructionActionView):
    def _transition(self):
        # Either decision starts from the same states with the same permission.
        return "declarer_eligible"

    def action_affichee(self):
        return {
            "libelle": "Décider de l'éligibilité",
            "consequence": "Tous les porteurs reçoivent la décision et sa motivation par "
            "courriel, avec la lettre de décision. Éligible : le service pilote pourra lancer "
            "le marché subséquent. Non éligible : l'atelier s'arrête.",
        }

    def formulaire(self, data=None):
        return DecisionForm(
            data, initial={"date_decision": timezone.localdate()}, depose_le=self.depose_le()
        )

    def executer(self, donnees, *, vu):
        decision = candidature_decider(
            candidature=self.candidature,
            par=self.request.user,
            vu=vu,
            eligible=donnees["eligible"],
            motivation=donnees["motivation"],
            date_decision=donnees["date_decision"],
        )
        sens = "éligible" if decision.eligible else "non éligible"
        return (
            f"Candidature déclarée {sens}. Les porteurs sont prévenus ; la lettre de décision "
            "est en préparation."
        )


class CorrigerView(InstructionActionView):
    def _transition(self):
        if self.candidature.statut == Candidature.Statut.NON_ELIGIBLE:
            return "corriger_eligible"
        return "corriger_non_eligible"

    def formulaire(self, data=None):
        return CorrectionForm(
            data, initial={"date_decision": timezone.localdate()}, depose_le=self.depose_le()
        )

    def executer(self, donnees, *, vu):
        decision = candidature_corriger_decision(
            candidature=self.candidature,
            par=self.request.user,
            vu=vu,
            motif=donnees["motif"],
            date_decision=donnees["date_decision"],
        )
        sens = "éligible" if decision.eligible else "non éligible"
        return f"Décision corrigée : candidature {sens}. Les porteurs sont prévenus."


class CohorteView(DgalnSeulementMixin, View):
    """The year's pipeline by région against the yearly target, with the average review time."""

    template_name = "candidatures/cohorte.html"

    def get(self, request):
        cette_annee = timezone.localdate().year
        try:
            annee = int(request.GET.get("annee", cette_annee))
        except ValueError:
            annee = cette_annee
        annee = min(max(annee, 2019), cette_annee + 1)
        return render(
            request,
            self.template_name,
            {
                **cohorte(annee),
                "annees": range(cette_annee, 2018, -1),
                "breadcrumb_data": {
                    "links": [
                        {
                            "url": reverse("candidatures:a_instruire"),
                            "title": "Candidatures à instruire",
                        }
                    ],
                    "current": f"Cohorte {annee}",
                },
            },
        )
