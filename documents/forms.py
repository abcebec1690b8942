"""The one upload field of the portal: a file is accepted only once its content was checked."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy

from documents.verification import USAGES, texte_aide, verifier

__all__ = ["FichierField"]


class FichierField(forms.FileField):
    """A file input for one usage (verification.Usage): its help text states the accepted
    kinds and the size limit, and clean() refuses any file whose content does not pass."""

    def __init__(self, *, usage, **kwargs):
        self.usage = usage
        # Lazy: the size limit is read from the settings when the form is shown.
        kwargs.setdefault("help_text", lazy(texte_aide, str)(usage))
        # The content check says "Le fichier est vide." itself, with the other refusals.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(e for f in USAGES[self.usage] for e in f.extensions)
        return attrs

    def clean(self, data, initial=None):
        fichier = super().clean(data, initial)
        if isinstance(fichier, UploadedFile):
            # Kept on the upload so that fichier_deposer does not check it a second time.
            # An attribute of ours on Django's upload object, hence the ignore.
            fichier.verification = verifier(fichier, usage=self.usage)  # type: ignore[attr-defined]
        return fichier
