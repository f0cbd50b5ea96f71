"""A **synthetic** one-company survey with its own instrument: stores, waves, other items.

The bundled study nests answers in firms and uses the contract's item names (``culture_1..6``,
``engagement_1..5`` on 1-5, ``nps``, ``csat``, ``ces``). This generator makes the other case an
analyst brings: **one company's stores** surveyed in waves, with the survey's own item names,
counts and answer ranges, described by an ``instrument.yml``
(:meth:`OwnSurvey.instrument`)::

    unit: store_id, time: wave, weight: w
    culture    c1..c4 on 1-7, c3 reverse-keyed      (employees)
    engagement e1..e12 on 1-5                        (employees)
    nps ltr 0-10, csat sat 1-5, ces effort 1-7       (customers; effort asked after a contact)
    drivers    sat explained by d1..d8 on 1-5        (customers)
    segments   region (a store's, in units), channel (a customer's)

It is the fixture of ``tests/data/own_survey/`` (written by ``make_fixture.py`` there) on which
notebooks 01-05 run with ``-p data_dir=``. Like every export, its files carry personal data
(made up: ``example.com`` addresses, fictional 555-01xx numbers, invented names) that
:func:`cxresearch.io.readers.load_study` must drop.

Model (store s, wave t; latent EX and CX in SD units)::

    EX_st = a_s + e_st,            a_s ~ N(0, 0.7^2), e_st ~ N(0, 0.7^2)
    CX_st = ex_to_cx EX_st + c_s + u_st
    employee theta = sqrt(icc_employees) EX_st / sd(EX) + sqrt(1 - icc_employees) e
    culture item   = clip(round(4 + 1.3 (lambda theta + sqrt(1 - lambda^2) eps)), 1, 7),
                     c3 written against the construct: 8 - that
    engagement     = theta_eng = r theta + sqrt(1 - r^2) e' ; items on 1-5 around 3.6
    customer phi   = sqrt(icc_customers) CX_st / sd(CX) + sqrt(1 - icc_customers) e
    drivers z_k    = rho phi + sqrt(1 - rho^2) eps_k,   d_k = clip(round(m_k + 0.9 z_k), 1, 5)
    satisfaction   = sum_k beta_k z_k + noise (R^2 = driver_r2), cut into 1..5 (sat)
    ltr, effort    : ordered cuts of satisfaction and phi
    sales_growth_st (pp) = g_s + cx_to_sales_growth CX_st + v_st
    staff_turnover_st (%) = 30 exp(ex_to_turnover EX_st + q_st)

``truth`` holds the structural coefficients and the drivers' true weights; the sizes are
assumptions chosen to make the analyses visible, not findings.

>>> s = simulate_own_survey(OwnSurveyParams(n_stores=6, n_waves=2), seed=1)
>>> sorted(s.tables())
['customers', 'employees', 'outcomes', 'units']
>>> s.employees.filter(like="c").columns.tolist()[:4], int(s.employees["c1"].max()) <= 7
(['c1', 'c2', 'c3', 'c4'], True)
>>> s.instrument().summary().split(";")[0]
'instrument.yml: unit store_id'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, check_seed

if TYPE_CHECKING:
    from cxresearch.io.instrument import Instrument

__all__ = ["OwnSurvey", "OwnSurveyParams", "simulate_own_survey"]

REGIONS: tuple[str, ...] = ("North", "South", "East", "West")
CHANNELS: tuple[str, ...] = ("store", "web", "app")
FORMATS: tuple[str, ...] = ("high street", "mall", "retail park")
_FIRST = ("Ada", "Sven", "Claire", "Yui", "Rafael", "Petra", "Liam", "Rania", "Kofi", "Mira",
          "Jonas", "Ines", "Tomasz", "Leila", "Oscar", "Hana")
_LAST = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Brennan", "Haddad",
         "Mensah", "Kowalski", "Berg", "Costa", "Nakamura", "Dubois", "Fischer", "Rossi")


@dataclass(frozen=True)
class OwnSurveyParams:
    """Design and true effects of the synthetic one-company survey (sizes are assumptions).

    >>> OwnSurveyParams().n_stores, len(OwnSurveyParams().driver_weights)
    (30, 8)
    """

    n_stores: int = 30
    n_waves: int = 3
    employees_per_store_wave: float = 8.0
    customers_per_store_wave: float = 20.0
    ex_to_cx: float = 0.4  # store-wave EX -> CX, SD per SD
    icc_employees: float = 0.30  # share of an employee's culture answer due to the store
    icc_customers: float = 0.12
    culture_loading: float = 0.75
    engagement_loading: float = 0.7
    culture_engagement_r: float = 0.55  # correlation of the two employee constructs
    driver_rho: float = 0.55  # drivers share a general impression (they correlate)
    #: true standardized weights of d1..d8 on latent satisfaction (two strong, two middling)
    driver_weights: tuple[float, ...] = (0.45, 0.35, 0.2, 0.15, 0.1, 0.05, 0.05, 0.0)
    driver_r2: float = 0.6
    #: where d1..d8 sit on 1-5 (performance differs by attribute, as in real surveys)
    driver_means: tuple[float, ...] = (3.2, 3.9, 3.4, 3.0, 4.0, 3.6, 3.3, 3.8)
    cx_to_sales_growth: float = 1.5  # pp of sales growth per SD of CX
    ex_to_turnover: float = -0.15  # log-points of staff turnover per SD of EX
    p_contact: float = 0.6  # share of customers asked the effort question

    def to_dict(self) -> dict[str, Any]:
        """All parameters as a plain dict (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


@dataclass(frozen=True, eq=False)
class OwnSurvey(Result):
    """The synthetic one-company survey: four tables, its instrument and the truth.

    ``customers`` and ``employees`` hold personal data columns (``email``, ``phone``,
    ``full_name``, made up) on purpose, as real exports do; ``latent`` is the store-wave
    answer key (EX, CX), which a real study never has.
    """

    customers: pd.DataFrame
    employees: pd.DataFrame
    units: pd.DataFrame
    outcomes: pd.DataFrame
    truth: dict[str, float]
    params: OwnSurveyParams
    latent: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables by the names of a one-company study folder."""
        return {"customers": self.customers, "employees": self.employees,
                "units": self.units, "outcomes": self.outcomes}

    def instrument(self) -> Instrument:
        """The survey's instrument (what ``instrument.yml`` in the fixture says)."""
        from cxresearch.io.instrument import Instrument

        return Instrument.from_dict(
            {
                "unit": "store_id",
                "time": "wave",
                "weight": "w",
                "scales": {
                    "culture": {"items": [f"c{k}" for k in range(1, 5)], "range": [1, 7],
                                "reverse": ["c3"]},
                    "engagement": {"items": [f"e{k}" for k in range(1, 13)],
                                   "range": [1, 5]},
                },
                "metrics": {"nps": {"column": "ltr", "range": [0, 10]},
                            "csat": {"column": "sat", "range": [1, 5]},
                            "ces": {"column": "effort", "range": [1, 7]}},
                "drivers": {"outcome": "sat", "items": [f"d{k}" for k in range(1, 9)],
                            "range": [1, 5]},
                "segments": ["region", "channel"],
            },
            source="instrument.yml",
        )

    def to_frame(self) -> pd.DataFrame:
        """The truth as a tidy frame (name, value)."""
        return pd.DataFrame({"name": list(self.truth),
                             "value": [float(v) for v in self.truth.values()]})

    def summary(self) -> str:
        """One line per table and the number of truth keys."""
        lines = [f"{k}: {v.shape[0]} rows x {v.shape[1]} columns" for k, v in
                 self.tables().items()]
        return "\n".join([*lines, f"truth: {len(self.truth)} coefficients"])


def _likert(x: np.ndarray, centre: float, spread: float, lo: int, hi: int) -> np.ndarray:
    return np.clip(np.round(centre + spread * x), lo, hi).astype(int)


def _people(rng: np.random.Generator, n: int) -> np.ndarray:
    first = rng.choice(_FIRST, n)
    last = rng.choice(_LAST, n)
    return np.char.add(np.char.add(first.astype(str), " "), last.astype(str))


def simulate_own_survey(params: OwnSurveyParams | None = None, seed: int | None = 0
                        ) -> OwnSurvey:
    """Simulate the **synthetic** one-company survey (see the module docstring for the model).

    Parameters
    ----------
    params : OwnSurveyParams, optional
        Design and true effects; default ``OwnSurveyParams()`` (30 stores, 3 waves).
    seed : int or None
        Seed of ``numpy.random.default_rng`` (None: fresh entropy).

    Returns
    -------
    OwnSurvey
        ``customers``, ``employees``, ``units``, ``outcomes``, ``truth`` and ``latent``.

    References
    ----------
    Harter, Schmidt & Hayes (2002), *Journal of Applied Psychology* 87(2) (unit-level EX-CX
    links); Johnson (2000), *Multivariate Behavioral Research* 35(1) (driver weights).

    Examples
    --------
    >>> s = simulate_own_survey(OwnSurveyParams(n_stores=8, n_waves=2), seed=3)
    >>> bool(s.customers["ltr"].between(0, 10).all()), s.truth["ex_to_cx"]
    (True, 0.4)
    """
    p = params if params is not None else OwnSurveyParams()
    if p.n_stores < 2 or p.n_waves < 1:
        raise DataError(f"argument 'params': need n_stores >= 2 and n_waves >= 1, got "
                        f"{p.n_stores} and {p.n_waves}")
    if len(p.driver_weights) != 8 or len(p.driver_means) != 8:
        raise DataError("argument 'params': driver_weights and driver_means need 8 values "
                        "each (d1..d8)")
    rng = np.random.default_rng(check_seed(seed))
    stores = np.array([f"S{k:02d}" for k in range(1, p.n_stores + 1)])
    units = pd.DataFrame({
        "store_id": stores,
        "region": np.array(REGIONS)[np.arange(p.n_stores) % len(REGIONS)],
        "format": rng.choice(FORMATS, p.n_stores),
        "opened": rng.integers(1995, 2021, p.n_stores),
    })
    a = rng.normal(0, 0.7, p.n_stores)
    c = rng.normal(0, 0.5, p.n_stores)
    g = rng.normal(3.0, 2.0, p.n_stores)
    waves = np.arange(1, p.n_waves + 1)
    sw = pd.DataFrame([(s, t) for s in range(p.n_stores) for t in waves],
                      columns=["s", "wave"])
    ex = a[sw["s"]] + rng.normal(0, 0.7, len(sw))
    cx = p.ex_to_cx * ex + c[sw["s"]] + rng.normal(0, 0.5, len(sw))
    latent = pd.DataFrame({"store_id": stores[sw["s"]], "wave": sw["wave"], "ex": ex, "cx": cx})
    outcomes = pd.DataFrame({
        "store_id": latent["store_id"],
        "wave": latent["wave"],
        "sales_growth": np.round(g[sw["s"]] + p.cx_to_sales_growth * cx
                                 + rng.normal(0, 2.0, len(sw)), 2),
        "staff_turnover": np.round(30 * np.exp(p.ex_to_turnover * ex
                                               + rng.normal(0, 0.15, len(sw))), 1),
    })
    ex_z = (ex - ex.mean()) / ex.std()
    cx_z = (cx - cx.mean()) / cx.std()

    # employees
    n_emp = rng.poisson(p.employees_per_store_wave, len(sw)).clip(2)
    idx = np.repeat(np.arange(len(sw)), n_emp)
    n = len(idx)
    theta = np.sqrt(p.icc_employees) * ex_z[idx] + np.sqrt(1 - p.icc_employees) * \
        rng.normal(size=n)
    r = p.culture_engagement_r
    theta_e = r * theta + np.sqrt(1 - r**2) * rng.normal(size=n)
    emp: dict[str, Any] = {"respondent_id": [f"E{k:05d}" for k in range(1, n + 1)],
                           "store_id": stores[sw["s"].to_numpy()[idx]],
                           "wave": sw["wave"].to_numpy()[idx],
                           "full_name": _people(rng, n)}
    lam = p.culture_loading
    for k in range(1, 5):
        x = _likert(lam * theta + np.sqrt(1 - lam**2) * rng.normal(size=n), 4.3, 1.3, 1, 7)
        emp[f"c{k}"] = 8 - x if k == 3 else x
    lam = p.engagement_loading
    for k in range(1, 13):
        emp[f"e{k}"] = _likert(lam * theta_e + np.sqrt(1 - lam**2) * rng.normal(size=n),
                               3.6, 0.9, 1, 5)
    employees = pd.DataFrame(emp)
    skip = rng.random((n, 16)) < 0.02  # skipped items
    items = [f"c{k}" for k in range(1, 5)] + [f"e{k}" for k in range(1, 13)]
    for j, col in enumerate(items):
        employees[col] = employees[col].astype("Int64").mask(skip[:, j])

    # customers
    n_cus = rng.poisson(p.customers_per_store_wave, len(sw)).clip(3)
    idx = np.repeat(np.arange(len(sw)), n_cus)
    n = len(idx)
    phi = np.sqrt(p.icc_customers) * cx_z[idx] + np.sqrt(1 - p.icc_customers) * \
        rng.normal(size=n)
    rho = p.driver_rho
    z = rho * phi[:, None] + np.sqrt(1 - rho**2) * rng.normal(size=(n, 8))
    beta = np.asarray(p.driver_weights, dtype=float)
    signal = z @ beta
    r2 = p.driver_r2
    noise_sd = np.sqrt(signal.var() * (1 - r2) / r2)
    sat_latent = signal + rng.normal(0, noise_sd, n)
    sat_z = (sat_latent - sat_latent.mean()) / sat_latent.std()
    channel = rng.choice(CHANNELS, n, p=[0.5, 0.35, 0.15])
    cus: dict[str, Any] = {
        "respondent_id": [f"C{k:05d}" for k in range(1, n + 1)],
        "store_id": stores[sw["s"].to_numpy()[idx]],
        "wave": sw["wave"].to_numpy()[idx],
        "channel": channel,
        "w": np.round(np.where(channel == "app", 1.6, np.where(channel == "web", 1.1, 0.8))
                      * rng.uniform(0.85, 1.15, n), 3),
        "ltr": _likert(0.8 * sat_z + 0.6 * rng.normal(size=n), 7.6, 2.1, 0, 10),
        "sat": _likert(sat_z, 3.7, 0.95, 1, 5),
        "effort": _likert(0.6 * sat_z + 0.8 * rng.normal(size=n), 5.0, 1.4, 1, 7),
        **{f"d{k + 1}": _likert(z[:, k], p.driver_means[k], 0.9, 1, 5) for k in range(8)},
        "email": [f"customer{k:05d}@example.com" for k in range(1, n + 1)],
        "phone": [f"+1 202-555-01{k % 100:02d}" for k in range(1, n + 1)],
    }
    customers = pd.DataFrame(cus)
    customers["effort"] = customers["effort"].astype("Int64").mask(
        rng.random(n) > p.p_contact)
    truth = {
        "ex_to_cx": p.ex_to_cx,
        "cx_to_sales_growth": p.cx_to_sales_growth,
        "ex_to_turnover": p.ex_to_turnover,
        "icc_employees": p.icc_employees,
        "icc_customers": p.icc_customers,
        "driver_r2": p.driver_r2,
        **{f"weight_d{k + 1}": float(b) for k, b in enumerate(beta)},
    }
    return OwnSurvey(customers, employees, units, outcomes, truth, p, latent)
