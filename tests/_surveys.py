"""Synthetic answers shared by the metrics tests (one generator, same seeds everywhere)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def survey(n: int = 3000, seed: int = 0, weights: bool = False) -> pd.DataFrame:
    """Answers with region (one tiny level), channel, NPS (25 missing) and CSAT."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "region": rng.choice(["north", "south", "east", "west", "tiny"], size=n,
                             p=[0.3, 0.3, 0.2, 0.195, 0.005]),
        "channel": rng.choice(["web", "phone"], size=n),
        "nps": rng.integers(0, 11, size=n).astype(float),
        "csat": rng.integers(1, 6, size=n),
    })
    df.loc[rng.choice(n, 25, replace=False), "nps"] = np.nan
    if weights:
        df["w"] = rng.uniform(0.5, 2.0, size=n)
    return df
