"""Exercises of notebook 07, the data."""

from __future__ import annotations

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

EXERCISES: tuple[Exercise, ...] = ()
