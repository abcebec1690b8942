"""The forms of the marchés' pages."""

from marches.forms.liste import MarcheFiltreForm

__all__ = ["MarcheFiltreForm"]
