"""DGALN's review: the queue, the dossier, following it, the decisions, the year's cohort."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView
from django_fsm import can_proceed

from ateliers.selectors import journal_atelier
from ateliers.services import ActionImpossible
from ateliers.views import PageLaPlusProcheMixin
from candidatures.forms import (
    ComplementsForm,
    CorrectionForm,
    DecisionForm,
    FiltresInstructionForm,
)
from candidatures.models import (
    INSTRUIRE,
    Candidature,
)
from candidatures.sections import (
    ACTIONS_CANDIDATURE,
    actions_instruction,
)
from candidatures.selectors import (
    DOSSIER_GABARIT,
    cohorte,
    comparer_versions,
    documents_des,
    fil_echanges,
    file_instruction,
    pieces_a_completer_possibles,
)
from candidatures.services import (
    DECISION_GABARIT,
    candidature_corriger_decision,
    candidature_decider,
    candidature_demander_complements,
    candidature_suivre,
)
from candidatures.views._commun import (
    CandidatureMixin,
    _fil_ariane,
)
from documents.models import FichierDepose


class FileInstructionView(PermissionRequiredMixin, PageLaPlusProcheMixin, ListView):
    """DGALN's review queue: the deposited candidatures, the longest waiting first, filtered by
    territory, theme, reception date, state and follower."""

    permission_required = "candidatures.voir_file_instruction"
    permission_denied_message = "Cette page est réservée à la DGALN."
    template_name = "candidatures/file_instruction.html"
    paginate_by = 25
    context_object_name = "candidatures"

    def get_queryset(self):
        self.filtres = FiltresInstructionForm(self.request.GET or None)
        return file_instruction(user=self.request.user, **self.filtres.valeurs())

    def paginate_queryset(self, queryset, page_size):
        """The queue's ids read once, in order (the dates by subquery, on the candidatures
        alone), then the page's 25 rows by pk with their atelier, follower and note: the page
        would otherwise join the ateliers and notes of every queued candidature before
        keeping 25, and the count run the filters again."""
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True))
        paginator, page, _, autres = super().paginate_queryset(ids, page_size)
        lignes = queryset.filter(pk__in=page.object_list).in_bulk()
        page.object_list = [lignes[pk] for pk in page.object_list]
        return paginator, page, page.object_list, autres

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
            return redirect("portail:atelier", pk=self.atelier.pk)
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

    def transition_demandee(self):
        return self.transition

    def _refus(self):
        # The role first: has_transition_perm is also False in a state the transition does not
        # start from, which would refuse DGALN with a 403 instead of saying why.
        if not self.request.user.has_perm(INSTRUIRE, self.candidature):
            raise PermissionDenied("Seule la DGALN décide de l'éligibilité.")
        methode = getattr(self.candidature, self.transition_demandee())
        if not can_proceed(methode):
            messages.error(
                self.request,
                "Cette action n'est pas possible : la candidature est "
                f"« {self.candidature.get_statut_display().lower()} ».",
            )
            return redirect("candidatures:dossier", pk=self.atelier.pk)
        return None

    def action_affichee(self):
        return ACTIONS_CANDIDATURE[self.transition_demandee()]

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
    def transition_demandee(self):
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
    def transition_demandee(self):
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


class CohorteView(PermissionRequiredMixin, View):
    """The year's pipeline by région against the yearly target, with the average review time."""

    permission_required = "candidatures.voir_cohorte"
    permission_denied_message = "Cette page est réservée à la DGALN."
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
