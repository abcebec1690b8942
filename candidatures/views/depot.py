"""The dépôt of the dossier."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django_fsm import can_proceed

from ateliers.views import ActionConfirmeeView
from candidatures.models import (
    DEPOSER,
)
from candidatures.sections import (
    action_deposer,
)
from candidatures.selectors import (
    candidature_de,
)
from candidatures.services import (
    candidature_deposer,
)
from candidatures.views._commun import (
    contexte_note,
)


class DeposerView(ActionConfirmeeView):
    """The dépôt: what is missing, with links, while the dossier is incomplete; then the
    confirmation of the dépôt (the page without JavaScript, the modal otherwise)."""

    template_name = "candidatures/candidature_depot.html"

    def action(self):
        self.candidature = candidature_de(self.atelier)
        if self.candidature is None or not self.request.user.has_perm(
            "candidatures.view_candidature", self.candidature
        ):
            raise Http404
        return action_deposer(self.candidature)

    def refus(self):
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
            return self.page(None, status=200 if self.request.method == "GET" else 400)
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
