"""Reproduce the customer-base literature on CDNOW with CLVEstimator.

From the raw CDNOW transaction log (2,357 customers, 78 weeks) this script
builds the 39-week calibration summary with ``rfm_summary``, fits the BG/NBD
and Gamma-Gamma models with ``CLVEstimator`` and prints each published
figure beside custseg's:

- BG/NBD r, alpha, a, b and the log-likelihood (Fader, Hardie and Lee,
  2005), and the paper's worked example: the expected purchases in the next
  39 weeks of the customer with x = 2, t_x = 30.43, T = 38.86;
- Gamma-Gamma p, q, gamma (Fader and Hardie, 2013);
- the Pareto/NBD r, alpha, s, beta and log-likelihood on the same data
  (reported by Fader, Hardie and Lee, 2005);
- the holdout weeks 40-78: per-customer MAE and correlation of predicted
  and actual purchases, against lifetimes (0.11.3, run on the same split)
  and a naive baseline, and the calibration table by frequency.

It exits with status 1 if a figure differs. Needs the CDNOW files in the
data home (``CUSTSEG_DATA_HOME``; see ``custseg.datasets``).

Usage::

    python examples/clv_cdnow.py [--json PATH]
"""

import argparse
import json
import sys

import pandas as pd

from custseg import CLVEstimator, evaluate_clv, rfm_summary
from custseg.datasets import load_cdnow

# (published value, decimals it was published with)
PUBLISHED = {
    "r": (0.243, 3),
    "alpha": (4.414, 3),
    "a": (0.793, 3),
    "b": (2.426, 3),
    "log_likelihood": (-9582.4, 1),
    "expected_purchases_example": (1.226, 3),
    "p": (6.25, 2),
    "q": (3.74, 2),
    "gamma": (15.44, 2),
    # the Pareto/NBD on the same data (Fader, Hardie and Lee, 2005)
    "pareto_r": (0.55, 2),
    "pareto_alpha": (10.58, 2),
    "pareto_s": (0.61, 2),
    "pareto_beta": (11.67, 2),
    "pareto_log_likelihood": (-9595.0, 1),
}
# lifetimes 0.11.3 (BetaGeoFitter) on the same split, purchases grouped by
# day, measured on 2026-11-22 (pandas 2.2.3): MAE and correlation
LIFETIMES = {"mae": 0.7855, "correlation": 0.6256}


def reproduce():
    """The figures, as a dict."""
    log = load_cdnow("transactions")
    summary = rfm_summary(
        log,
        "customer_id",
        "date",
        "amount",
        freq="D",
        time_unit="W",
        observation_period_end="1998-06-30",
        calibration_period_end="1997-09-30",
    )
    published_summary = load_cdnow()
    columns = ["frequency", "recency", "T", "monetary_value"]
    largest = float(
        (summary[columns] - published_summary[columns]).abs().to_numpy().max()
    )
    clv = CLVEstimator(horizon=39, step=39).fit(summary[columns])
    estimates = clv.params_["estimate"]
    example = pd.DataFrame({"frequency": [2.0], "recency": [30.43], "T": [38.86]})
    purchases_only = CLVEstimator(spend_model=None).fit(summary[columns[:3]])
    pareto = CLVEstimator("pareto_nbd", spend_model=None).fit(summary[columns[:3]])
    evaluation = evaluate_clv(purchases_only, summary)
    return {
        "summary_largest_difference": largest,
        "r": float(estimates["r"]),
        "alpha": float(estimates["alpha"]),
        "a": float(estimates["a"]),
        "b": float(estimates["b"]),
        "log_likelihood": float(clv.log_likelihood_),
        "expected_purchases_example": float(
            purchases_only.predict_purchases(example, 39)[0]
        ),
        "p": float(estimates["p"]),
        "q": float(estimates["q"]),
        "gamma": float(estimates["gamma"]),
        **{
            f"pareto_{name}": float(pareto.params_.loc[name, "estimate"])
            for name in ("r", "alpha", "s", "beta")
        },
        "pareto_log_likelihood": float(pareto.log_likelihood_),
        "standard_errors": clv.params_["standard_error"].to_dict(),
        "holdout": evaluation.metrics.to_dict(orient="index"),
        "calibration": evaluation.calibration.reset_index().to_dict(orient="records"),
    }


def compare(figures):
    """Lines of the table and the number of figures that differ."""
    lines = [f"  {'figure':34s} {'published':>12s} {'custseg':>12s}"]
    failures = 0
    for name, (published, decimals) in PUBLISHED.items():
        ours = figures[name]
        # gamma: the note prints 15.44 for the optimum at 15.4476
        ok = round(ours, decimals) == published or (
            name == "gamma" and abs(ours - published) < 0.01
        )
        failures += not ok
        lines.append(
            f"  {name:34s} {published:12.{decimals}f} {ours:12.4f}  "
            f"{'ok' if ok else 'DIFFERS'}"
        )
    holdout = figures["holdout"]["model"]
    for name, reference in LIFETIMES.items():
        better = (
            holdout[name] <= reference + 5e-5
            if name == "mae"
            else (holdout[name] >= reference - 5e-5)
        )
        failures += not better
        lines.append(
            f"  holdout {name} (lifetimes: {reference})      {reference:12.4f} "
            f"{holdout[name]:12.4f}  {'ok' if better else 'WORSE'}"
        )
    ok = figures["summary_largest_difference"] <= 0.005 + 1e-9
    failures += not ok
    lines.append(
        "  summary rebuilt from the log: largest difference "
        f"{figures['summary_largest_difference']:.4f} (published to 2 decimals)"
        f"  {'ok' if ok else 'DIFFERS'}"
    )
    return lines, failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    figures = reproduce()
    lines, failures = compare(figures)
    print("CDNOW, 39-week calibration, weekly time unit\n")
    print("\n".join(lines))
    print("\nHoldout weeks 40-78, model against a naive baseline:")
    print(pd.DataFrame(figures["holdout"]).T.round(4).to_string())
    print("\nCalibration by calibration frequency (mean holdout purchases):")
    print(pd.DataFrame(figures["calibration"]).round(3).to_string(index=False))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    print(
        "\nall published figures reproduced"
        if not failures
        else f"\n{failures} figure(s) differ"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
