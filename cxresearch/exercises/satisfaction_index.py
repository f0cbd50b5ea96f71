"""Exercises of notebook 03, the satisfaction-index model."""

from __future__ import annotations

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

EXERCISES: tuple[Exercise, ...] = ()
