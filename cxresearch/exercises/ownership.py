"""Exercises of notebook 06, who owns CX."""

from __future__ import annotations

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

EXERCISES: tuple[Exercise, ...] = ()
