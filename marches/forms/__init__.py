"""The forms of the marchés' pages."""

from marches.forms.liste import MarcheFiltreForm

__all__ = ["MarcheFiltreForm"]
from marches.forms.analyse import (
    AttributionForm,
    NotesForm,
    NotificationForm,
)

__all__ += ["AttributionForm", "NotesForm", "NotificationForm"]
