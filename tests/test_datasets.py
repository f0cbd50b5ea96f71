"""Tests for cxresearch.io.datasets.

References: the row counts and churn/attrition totals published for these data sets (IBM
attrition: 1,470 employees, 237 leavers; IBM telco: 7,043 customers, 1,869 churned; MLC churn:
5,000 customers, 707 churners), and lifetimes' own precomputed CDNOW summary file
(cdnow_customers_summary.csv), which our frequency/recency/T must reproduce.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.io import datasets


def test_catalog_has_provenance_for_every_loader() -> None:
    cat = datasets.catalog()
    assert set(cat.columns) == {"name", "package", "source", "licence", "caveats", "kind"}
    assert dict(zip(cat["name"], cat["kind"])) == {
        "cms_patient_experience": "real", "ibm_hr_attrition": "fictional",
        "telco_churn": "fictional", "mlc_churn": "artificial", "cdnow_transactions": "real"}
    for name in cat["name"]:
        assert callable(getattr(datasets, name))
        doc = getattr(datasets, name).__doc__
        assert doc and len(doc) > 50
    assert cat["licence"].str.len().gt(5).all()


def test_published_counts() -> None:
    hr = datasets.ibm_hr_attrition()
    assert hr.shape[0] == 1470 and int(hr["attrition"].sum()) == 237
    for item in datasets.IBM_SATISFACTION_ITEMS:
        assert set(hr[item]) == {1, 2, 3, 4}, item  # every label coded, none missing
    assert "monthly_income" in hr.columns
    tel = datasets.telco_churn()
    assert tel.shape[0] == 7043 and int(tel["churn"].sum()) == 1869
    mlc = datasets.mlc_churn()
    assert mlc.shape[0] == 5000 and int(mlc["churn"].sum()) == 707
    # customer-service calls relate to churn (the classic pattern in these data)
    rate = mlc.groupby(mlc["number_customer_service_calls"] >= 4)["churn"].mean()
    assert rate[True] > 2 * rate[False]
    cms = datasets.cms_patient_experience()
    assert cms["prf_rate"].dropna().between(0, 100).all()
    assert cms["measure_cd"].str.startswith("CAHPS").all()


def test_cdnow_full_and_sample() -> None:
    full = datasets.cdnow_transactions()
    assert full["customer_id"].nunique() == 23570
    assert full["date"].min() == pd.Timestamp("1997-01-01")
    assert full["date"].max() == pd.Timestamp("1998-06-30")
    sample = datasets.cdnow_transactions(sample=True)
    assert sample["customer_id"].nunique() == 2357


def test_cdnow_summary_matches_lifetimes_reference_file() -> None:
    spec = importlib.util.find_spec("lifetimes")
    assert spec is not None and spec.submodule_search_locations
    ref_path = Path(next(iter(spec.submodule_search_locations))) / "datasets"
    ref = pd.read_csv(ref_path / "cdnow_customers_summary.csv").set_index("ID")
    ours = datasets.cdnow_summary().assign(ID=lambda d: d["customer_id"].astype(int))
    ours = ours.set_index("ID").loc[ref.index]
    assert (ours["frequency"] == ref["frequency"]).all()
    assert (ours["recency"] - ref["recency"]).abs().max() < 0.006  # reference rounded to 0.01
    assert (ours["T"] - ref["T"]).abs().max() < 0.006


def test_missing_lifetimes_file_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match=r"does not ship 'nope\.txt'"):
        datasets._lifetimes_file("nope.txt")


def test_dataset_info_protocol() -> None:
    info = datasets._INFO[0]
    assert info.summary().startswith("cms_patient_experience: ")
    pd.testing.assert_frame_equal(info.to_frame(), datasets.catalog().iloc[[0]])
