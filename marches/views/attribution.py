"""The end of a round, each on its confirmation page: the collegial attribution, the
notification with the acte d'engagement, the round declared unsuccessful, the relaunch."""

from abc import abstractmethod
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ateliers.services import ActionImpossible
from marches.forms import AttributionForm, NotificationForm
from marches.models import Consultation, Offre
from marches.selectors import analyse_de, consultation_analysee, membres_du_jury
from marches.services import (
    marche_attribuer,
    marche_declarer_infructueux,
    marche_notifier,
    marche_relancer,
)
from marches.views._commun import MarcheActionView


class MarcheFormulaireView(MarcheActionView):
    """A confirmed action on the marché whose page holds a form of its own (`formulaire`);
    a refusal of the service shows the page again with its message."""

    template_name = "marches/attribution_action.html"

    @abstractmethod
    def formulaire(self, data: Any = None, files: Any = None) -> Any:
        """The action's form, bound to `data` and `files` when given."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refus() or self.page(self.formulaire())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refus = self.refus()
        if refus:
            return refus
        form = self.formulaire(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            self.executer(form)
        except ActionImpossible as exc:
            messages.error(request, str(exc))
            return self.page(form, status=400)
        messages.success(request, self.message_succes())
        return redirect(self.atelier_url())


class AttribuerView(MarcheFormulaireView):
    """The pilot records the panel's collegial choice, the members who agreed and why."""

    transition = "attribuer"

    def consultation(self) -> Consultation | None:
        return consultation_analysee(self.marche)

    def formulaire(self, data: Any = None, files: Any = None) -> AttributionForm:
        consultation = self.consultation()
        analyse = analyse_de(consultation) if consultation else None
        offres = (
            consultation.offres.classables().select_related("groupement")
            if consultation
            else Offre.objects.none()
        )
        premiers = analyse.premiers if analyse else []
        jury = membres_du_jury(self.marche.atelier)
        return AttributionForm(
            data,
            offres=offres,
            jury=jury,
            initial={
                "offre": premiers[0].offre.pk if len(premiers) == 1 else None,
                "accords": [o.pk for o in jury],
            },
        )

    def contexte_page(self) -> dict[str, Any]:
        consultation = self.consultation()
        return {
            "marche": self.marche,
            "analyse": analyse_de(consultation) if consultation else None,
        }

    def executer(self, form: Any) -> None:
        donnees = form.cleaned_data
        marche_attribuer(
            marche=self.marche,
            par=self.par(),
            vu=self.vu(),
            offre=donnees["offre"],
            accords=donnees["accords"],
            motifs=donnees["motifs"],
            motif_ecart=donnees["motif_ecart"],
        )
        self.attributaire = donnees["offre"].groupement

    def message_succes(self) -> str:
        return (
            f"Marché attribué à {self.attributaire.nom}. La DGALN est informée ; notifiez le "
            "marché une fois l'acte d'engagement signé."
        )


class NotifierView(MarcheFormulaireView):
    """The pilot records the notification with the acte d'engagement signed by both sides."""

    transition = "notifier"

    def formulaire(self, data: Any = None, files: Any = None) -> NotificationForm:
        return NotificationForm(data, files)

    def contexte_page(self) -> dict[str, Any]:
        return {"marche": self.marche, "analyse": None}

    def executer(self, form: Any) -> None:
        marche_notifier(
            marche=self.marche,
            par=self.par(),
            vu=self.vu(),
            notifie_le=form.cleaned_data["notifie_le"],
            acte_engagement=form.cleaned_data["acte_engagement"],
        )

    def message_succes(self) -> str:
        return (
            f"Marché notifié à {self.marche.attributaire}. L'atelier entre en cadrage ; les "
            "lettres aux groupements sont produites et les groupements prévenus."
        )


class DeclarerInfructueuxView(MarcheActionView):
    transition = "declarer_infructueux"

    def executer(self, form: Any) -> None:
        marche_declarer_infructueux(
            marche=self.marche, par=self.par(), vu=self.vu(), motif=form.cleaned_data["motif"]
        )

    def message_succes(self) -> str:
        return (
            "Consultation déclarée infructueuse. Les groupements qui ont répondu reçoivent une "
            "lettre ; vous pouvez préparer une nouvelle consultation."
        )


class RelancerView(MarcheActionView):
    transition = "relancer"

    def executer(self, form: Any) -> None:
        marche_relancer(marche=self.marche, par=self.par(), vu=self.vu())

    def message_succes(self) -> str:
        return "Le CCTP est de nouveau en rédaction pour une nouvelle consultation."
