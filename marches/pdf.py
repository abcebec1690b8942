"""The context functions of the marchés' PDFs (ADR 0013): documents renders only functions of
this module. Each use case writes its own in marches/pdf_<cas>.py; they are named here."""

from marches.pdf_analyse import contexte_lettre, contexte_rapport_analyse

__all__ = ["contexte_lettre", "contexte_rapport_analyse"]
