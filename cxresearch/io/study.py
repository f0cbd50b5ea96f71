"""The neutral study data model shared by the readers and the simulators.

:class:`Study` holds a study's four tidy tables (``firms``, ``firm_years``, ``employees``,
``customers``) and, for simulated data only, the answer key (``truth``, ``latent``) and the
parameters. :mod:`cxresearch.io.readers` subclasses it for a study read from files
(:class:`~cxresearch.io.readers.LoadedStudy`); :mod:`cxresearch.simulate.study` returns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxresearch.core.results import Result

__all__ = ["Study"]


@dataclass(frozen=True, eq=False)
class Study(Result):
    """A CX study, simulated or read from files: four tidy tables, the truth and the parameters.

    The neutral data model that the readers (:class:`cxresearch.io.readers.LoadedStudy`) and the
    simulators (:func:`cxresearch.simulate.study.simulate_study`) share, so that reading a user's
    files never imports a simulator.

    Parameters
    ----------
    firms, firm_years, employees, customers : pandas.DataFrame
        The four observed tables.
    truth : dict of str to float
        The simulation's true coefficients (empty for real data).
    params : Any
        The simulator's parameters (:class:`cxresearch.simulate.study.StudyParams`) when the
        study was simulated, else None.
    latent : pandas.DataFrame, optional
        The answer key (firm-year EX and CX, baseline growth, ...): it exists only for
        simulated data and is not available in a real study.

    Examples
    --------
    >>> empty = pd.DataFrame()
    >>> s = Study(empty, empty, empty, pd.DataFrame({"nps": [9, 7]}), truth={"ex_to_cx": 0.3})
    >>> print(s.summary())
    firms: 0 rows x 0 columns
    firm_years: 0 rows x 0 columns
    employees: 0 rows x 0 columns
    customers: 2 rows x 1 columns
    truth: 1 coefficients
    >>> s.to_frame().values.tolist()
    [['ex_to_cx', 0.3]]
    """

    firms: pd.DataFrame
    firm_years: pd.DataFrame
    employees: pd.DataFrame
    customers: pd.DataFrame
    truth: dict[str, float] = field(default_factory=dict)
    params: Any = None
    latent: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four observed tables by name."""
        return {
            "firms": self.firms,
            "firm_years": self.firm_years,
            "employees": self.employees,
            "customers": self.customers,
        }

    def to_frame(self) -> pd.DataFrame:
        """The truth as a tidy frame with columns ``name`` and ``value``."""
        return pd.DataFrame(
            {"name": list(self.truth), "value": [float(v) for v in self.truth.values()]}
        )

    def summary(self) -> str:
        """One line per table with its shape, then the number of truth keys."""
        lines = [f"{k}: {v.shape[0]} rows x {v.shape[1]} columns" for k, v in self.tables().items()]
        lines.append(f"truth: {len(self.truth)} coefficients")
        return "\n".join(lines)
