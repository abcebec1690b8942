"""The consultation as the groupements read it (« Mes consultations », a round's page, the
note's resources, declining to answer), the questions and answers the pilot records, the close
of the remise des offres, and DGALN's list of the reasons teams decline."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from ateliers.services import ActionImpossible
from comptes.models import Organisation, Utilisateur
from marches.forms.consultation import (
    MesConsultationsFiltreForm,
    QuestionForm,
    RenoncementFiltreForm,
    RenoncementForm,
    ReponseForm,
)
from marches.models import Consultation, MarcheSubsequent, QuestionConsultation, Renoncement
from marches.selectors.analyse import lettres_du_groupement, resultat_du_groupement
from marches.selectors.consultation import (
    consultation_actuelle,
    documents_accord_cadre_actuels,
    groupements_consultes_de,
    mes_consultations,
    questions_de,
    renoncements_tous,
    ressource_de_la_note,
    ressources_de_la_note,
    temps_restant,
    versions_publiees,
)
from marches.services import (
    consultation_clore,
    question_enregistrer,
    question_repondre,
    renoncement_enregistrer,
)
from marches.views._commun import MarcheActionView, fil_ariane, marche_de

S = MarcheSubsequent.Statut


def _par(request: HttpRequest) -> Utilisateur:
    return cast(Utilisateur, request.user)  # LoginRequiredMixin: never anonymous


def _fil_groupement(courant: str, consultation: Consultation | None = None) -> dict[str, Any]:
    liens = [{"url": reverse("marches:consultations"), "title": "Mes consultations"}]
    if consultation is not None:
        liens.append(
            {
                "url": reverse("marches:consultation", args=[consultation.pk]),
                "title": consultation.reference_place,
            }
        )
    return {"links": liens, "current": courant}


def _consultation_du_groupement(request: HttpRequest, pk: int) -> Consultation:
    """A round where one of the user's groupements was consulted; 404 for any other (an id
    guessed in a URL tells nothing)."""
    consultation = get_object_or_404(
        mes_consultations(request.user).select_related("marche__accord_cadre"), pk=pk
    )
    if not request.user.has_perm("marches.voir_consultation", consultation):
        raise Http404
    return consultation


def _etat_pour_le_groupement(consultation: Consultation) -> dict[str, Any]:
    """What the user's groupement said or sent: its renoncement, its offer, or « will answer »."""
    renoncement = next(iter(consultation.mes_renoncements), None)  # type: ignore[attr-defined]
    offre = next(iter(consultation.mes_offres), None)  # type: ignore[attr-defined]
    ouverte = (
        consultation.marche.statut == S.EN_CONSULTATION
        and consultation.close_le is None
        and timezone.now() < consultation.date_limite
    )
    return {
        "renoncement": renoncement,
        "offre": offre,
        "ouverte": ouverte,
        "temps_restant": temps_restant(consultation.date_limite) if ouverte else "",
    }


class MesConsultationsView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """The rounds where one of the user's groupements was consulted, with their deadline and
    what the groupement said; never another groupement's answer."""

    permission_required = "marches.voir_mes_consultations"
    template_name = "marches/consultation_list.html"
    context_object_name = "consultations"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Consultation]:
        queryset = mes_consultations(self.request.user)
        self.filtres = MesConsultationsFiltreForm(self.request.GET or None)
        if self.filtres.is_valid():
            etat = self.filtres.cleaned_data["etat"]
            if etat == "ouvertes":
                queryset = queryset.filter(
                    close_le__isnull=True,
                    date_limite__gt=timezone.now(),
                    marche__statut=S.EN_CONSULTATION,
                )
            elif etat == "closes":
                queryset = queryset.exclude(
                    close_le__isnull=True,
                    date_limite__gt=timezone.now(),
                    marche__statut=S.EN_CONSULTATION,
                )
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            lignes=[(c, _etat_pour_le_groupement(c)) for c in context["consultations"]],
            filtres=self.filtres,
            filtres_actifs=any(v for k, v in self.request.GET.items() if k != "page"),
            breadcrumb_data={"current": "Mes consultations"},
        )
        return context


class ConsultationGroupementView(LoginRequiredMixin, TemplateView):
    """One round as a consulted groupement reads it: the CCTP and its versions, the note's
    resources, the accord-cadre's documents, the deadline, the questions and answers (never who
    asked) and what its own groupement said or sent."""

    template_name = "marches/consultation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        consultation = _consultation_du_groupement(self.request, kwargs["pk"])
        marche = consultation.marche
        atelier = marche.atelier
        etat = _etat_pour_le_groupement(consultation)
        context.update(
            consultation=consultation,
            marche=marche,
            atelier=atelier,
            departements=list(atelier.departements.all()),
            epcis=list(atelier.epcis.all()),
            versions=versions_publiees(consultation),
            ressources=ressources_de_la_note(consultation),
            documents_accord_cadre=documents_accord_cadre_actuels(marche.accord_cadre),
            questions=questions_de(consultation),
            peut_enregistrer=False,
            etat=etat,
            peut_renoncer=(
                etat["ouverte"]
                and marche.statut == S.EN_CONSULTATION
                and etat["renoncement"] is None
                and etat["offre"] is None
                and self.request.user.has_perm("marches.renoncer", consultation)
            ),
            lettres=list(lettres_du_groupement(consultation, self.request.user)),
            resultat=resultat_du_groupement(consultation, self.request.user),
            breadcrumb_data=_fil_groupement(consultation.reference_place),
        )
        return context


class RessourceTelechargerView(LoginRequiredMixin, View):
    """A documentary resource of the note, for a groupement consulted on the marché: the note's
    file belongs to the candidature, which no groupement may read, so marches serves exactly
    the files the note lists as resources, and nothing else of the candidature."""

    def get(self, request: HttpRequest, pk: int, uuid: str) -> FileResponse:
        consultation = get_object_or_404(Consultation.objects.select_related("marche"), pk=pk)
        if not request.user.has_perm("marches.voir_consultation", consultation):
            raise Http404
        fichier = ressource_de_la_note(consultation, str(uuid))
        if fichier is None or not fichier.disponible:
            raise Http404
        reponse = FileResponse(
            fichier.fichier.open("rb"),
            as_attachment=True,
            filename=fichier.nom_original,
            content_type=fichier.type_contenu,
        )
        reponse["X-Content-Type-Options"] = "nosniff"
        reponse["Content-Security-Policy"] = "default-src 'none'; sandbox"
        reponse["Cache-Control"] = "private, no-store"
        return reponse


class RenoncerView(LoginRequiredMixin, View):
    """A consulted groupement tells the pilot it will not answer, with its reason."""

    template_name = "marches/consultation_renoncer.html"

    def _preparer(self, request: HttpRequest, pk: int) -> None:
        self.consultation = _consultation_du_groupement(request, pk)
        if not request.user.has_perm("marches.renoncer", self.consultation):
            raise Http404
        ids = [g.pk for g in groupements_consultes_de(request.user, self.consultation)]
        self.groupements = Organisation.objects.filter(pk__in=ids).order_by("nom")

    def _page(self, form: RenoncementForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "consultation": self.consultation,
                "marche": self.consultation.marche,
                "form": form,
                "breadcrumb_data": _fil_groupement(
                    "Ne pas répondre à la consultation", self.consultation
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._preparer(request, pk)
        if (
            self.consultation.marche.statut != S.EN_CONSULTATION
            or timezone.now() >= self.consultation.date_limite
        ):
            messages.error(
                request, "La remise des offres est close : il n'y a plus rien à indiquer."
            )
            return redirect(reverse("marches:consultation", args=[self.consultation.pk]))
        return self._page(RenoncementForm(groupements=self.groupements))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._preparer(request, pk)
        form = RenoncementForm(request.POST, groupements=self.groupements)
        if not form.is_valid():
            return self._page(form, status=400)
        try:
            renoncement_enregistrer(
                consultation=self.consultation,
                groupement=form.cleaned_data["groupement"],
                motif=form.cleaned_data["motif"],
                precision=form.cleaned_data["precision"],
                par=_par(request),
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "C'est noté : le service pilote sait que votre groupement ne répondra pas à "
                "cette consultation. Merci d'avoir indiqué pourquoi.",
            )
        return redirect(reverse("marches:consultation", args=[self.consultation.pk]))


class QuestionsView(LoginRequiredMixin, View):
    """The questions received on PLACE and their answers for the marché's current round: the
    panel and DGALN read them, the pilot records a question (and its answer, now or later)."""

    template_name = "marches/consultation_questions.html"

    def _preparer(self, request: HttpRequest, marche_pk: int) -> None:
        self.marche = marche_de(request, marche_pk)
        self.consultation = consultation_actuelle(self.marche)
        if self.consultation is None or not request.user.has_perm(
            "marches.view_consultation", self.consultation
        ):
            raise Http404
        self.peut_enregistrer = (
            request.user.has_perm("marches.piloter_marche", self.marche)
            and self.marche.statut == S.EN_CONSULTATION
        )

    def _page(self, form: QuestionForm | None, status: int = 200) -> HttpResponse:
        assert self.consultation is not None
        return render(
            self.request,
            self.template_name,
            {
                "marche": self.marche,
                "consultation": self.consultation,
                "questions": questions_de(self.consultation),
                "form": form,
                "peut_enregistrer": self.peut_enregistrer,
                "breadcrumb_data": fil_ariane(self.marche, "Questions et réponses"),
            },
            status=status,
        )

    def _form(self, data: Any = None) -> QuestionForm | None:
        if not self.peut_enregistrer:
            return None
        assert self.consultation is not None
        return QuestionForm(data, debut=self.consultation.publiee_le)

    def get(self, request: HttpRequest, marche: int) -> HttpResponse:
        self._preparer(request, marche)
        return self._page(self._form())

    def post(self, request: HttpRequest, marche: int) -> HttpResponse:
        self._preparer(request, marche)
        form = self._form(request.POST)
        if form is None:
            raise PermissionDenied("Seul le service pilote enregistre les questions.")
        if not form.is_valid():
            return self._page(form, status=400)
        assert self.consultation is not None
        try:
            question = question_enregistrer(
                consultation=self.consultation,
                question=form.cleaned_data["question"],
                recue_le=form.cleaned_data["recue_le"],
                reponse=form.cleaned_data["reponse"],
                par=_par(request),
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Question n° {question.numero} enregistrée"
                + (
                    " ; sa réponse est publiée et les groupements consultés en sont prévenus."
                    if question.reponse_publiee_le
                    else " ; publiez sa réponse dès qu'elle est prête."
                ),
            )
        return redirect(reverse("marches:questions", args=[self.marche.pk]))


class RepondreView(LoginRequiredMixin, View):
    """Publish the answer to a recorded question: the pilot, while the consultation runs."""

    template_name = "marches/consultation_repondre.html"

    def _preparer(self, request: HttpRequest, marche_pk: int, pk: int) -> None:
        self.marche = marche_de(request, marche_pk)
        self.question = get_object_or_404(
            QuestionConsultation.objects.select_related("consultation"),
            pk=pk,
            consultation__marche=self.marche,
        )
        if not request.user.has_perm("marches.piloter_marche", self.marche):
            raise PermissionDenied("Seul le service pilote publie les réponses.")

    def _page(self, form: ReponseForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "marche": self.marche,
                "question": self.question,
                "form": form,
                "breadcrumb_data": fil_ariane(
                    self.marche, f"Répondre à la question n° {self.question.numero}"
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, marche: int, pk: int) -> HttpResponse:
        self._preparer(request, marche, pk)
        if self.question.reponse_publiee_le is not None:
            messages.info(
                request, f"La réponse à la question n° {self.question.numero} est publiée."
            )
            return redirect(reverse("marches:questions", args=[self.marche.pk]))
        return self._page(ReponseForm())

    def post(self, request: HttpRequest, marche: int, pk: int) -> HttpResponse:
        self._preparer(request, marche, pk)
        form = ReponseForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        try:
            question_repondre(
                question=self.question, reponse=form.cleaned_data["reponse"], par=_par(request)
            )
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Réponse à la question n° {self.question.numero} publiée : les groupements "
                "consultés en sont prévenus par courriel.",
            )
        return redirect(reverse("marches:questions", args=[self.marche.pk]))


class CloreConsultationView(MarcheActionView):
    """The pilot closes the remise des offres by hand once the deadline has passed (the
    periodic task does it within minutes otherwise)."""

    transition = "clore_consultation"

    def refus(self) -> HttpResponse | None:
        refus = super().refus()
        if refus is not None:
            return refus
        consultation = consultation_actuelle(self.marche)
        if consultation is not None and timezone.now() < consultation.date_limite:
            messages.error(
                self.request,
                "La remise des offres ne se clôt qu'une fois la date limite passée : il reste "
                f"{temps_restant(consultation.date_limite)}.",
            )
            return redirect(self.atelier_url())
        return None

    def executer(self, form: Any) -> None:
        consultation_clore(marche=self.marche, par=self.par(), vu=self.vu())

    def message_succes(self) -> str:
        return (
            "Remise des offres close : le marché est en analyse. Enregistrez les offres reçues "
            "sur PLACE qui manqueraient encore."
        )


class RenoncementsView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """Why teams declined to answer, across marchés, for DGALN: by year and by reason."""

    permission_required = "marches.voir_tous_les_renoncements"
    template_name = "marches/consultation_renoncements.html"
    context_object_name = "renoncements"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Renoncement]:
        queryset = renoncements_tous()
        annees = sorted(
            set(
                Renoncement.objects.annotate(a=ExtractYear("le"))
                .order_by()
                .values_list("a", flat=True)
            ),
            reverse=True,
        )
        self.filtres = RenoncementFiltreForm(self.request.GET or None, annees=annees)
        if self.filtres.is_valid():
            if self.filtres.cleaned_data["annee"]:
                queryset = queryset.filter(le__year=self.filtres.cleaned_data["annee"])
            if self.filtres.cleaned_data["motif"]:
                queryset = queryset.filter(motif=self.filtres.cleaned_data["motif"])
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filtres=self.filtres,
            filtres_actifs=any(v for k, v in self.request.GET.items() if k != "page"),
            breadcrumb_data={
                "links": [{"url": reverse("marches:liste"), "title": "Marchés subséquents"}],
                "current": "Renoncements des groupements",
            },
        )
        return context
