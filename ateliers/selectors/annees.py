"""The years a list's « année » filter offers."""

import datetime
from typing import Any

from django.db.models import Max, Min, QuerySet
from django.utils import timezone


def annees_de(queryset: QuerySet[Any], champ: str) -> list[int]:
    """The years from the earliest value of `champ` in `queryset` to the latest, newest first:
    two probes of an index on it, where the distinct years cost a pass over every row on
    every page of the list. A date and time counts in the year it is in France."""
    bornes = queryset.aggregate(premiere=Min(champ), derniere=Max(champ))
    if bornes["premiere"] is None:
        return []
    premiere, derniere = (
        timezone.localtime(d).year if isinstance(d, datetime.datetime) else d.year
        for d in (bornes["premiere"], bornes["derniere"])
    )
    return list(range(derniere, premiere - 1, -1))
