"""Typed, validated knowledge: the qualification dataset and the FAQ catalogue."""
from bot.knowledge.loader import DataError, load_catalogue, load_dataset
from bot.knowledge.models import (
    Dataset,
    Dossier,
    Fact,
    FaqCatalogue,
    FaqEntry,
    Level,
    Qualification,
    SourceRef,
)

__all__ = [
    "DataError",
    "Dataset",
    "Dossier",
    "Fact",
    "FaqCatalogue",
    "FaqEntry",
    "Level",
    "Qualification",
    "SourceRef",
    "load_catalogue",
    "load_dataset",
]
