"""studydeck: Markdown interview notes → Anki decks, and offline grading of typed answers."""

from __future__ import annotations

from studydeck.cards import Card, Point
from studydeck.errors import Diagnostic, StudydeckError

__version__ = "0.1.0"

__all__ = ["Card", "Diagnostic", "Point", "StudydeckError", "__version__"]
