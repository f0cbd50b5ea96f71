"""Exercises of notebook 05, linkage of employee and customer experience with outcomes."""

from __future__ import annotations

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

EXERCISES: tuple[Exercise, ...] = ()
