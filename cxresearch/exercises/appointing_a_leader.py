"""Exercises of notebook 11, what appointing a CX leader does."""

from __future__ import annotations

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

EXERCISES: tuple[Exercise, ...] = ()
