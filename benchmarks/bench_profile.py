"""What profiling costs on top of the segmentation, at a million customers.

Times, in one run on ``make_survey`` answers: the segmentation alone
(SurveyPreprocessor -> MiniBatchKMeans), ``SegmentProfiler.fit`` of the same
segmentation (which fits it, then reads, profiles, tests and explains), and
``transform`` and ``to_html`` of the fitted profiler. There is no reference
tool that computes the same profile; the ratio printed is the profiler's fit
against the segmentation it wraps.

Usage::

    python benchmarks/bench_profile.py [--n-customers 1000000]
"""

import argparse
import time

from sklearn.base import clone
from sklearn.cluster import MiniBatchKMeans
from sklearn.pipeline import make_pipeline

from custseg import SegmentProfiler, SurveyPreprocessor
from custseg.datasets import make_survey


def _seconds(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-customers", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    answers = make_survey(args.n_customers, n_segments=3, random_state=0)
    reader = SurveyPreprocessor(roles={"timestamp": "ignore"})
    segmentation = make_pipeline(
        clone(reader), MiniBatchKMeans(3, n_init=3, random_state=0)
    )
    alone, _ = _seconds(lambda: clone(segmentation).fit(answers))
    fit, profiler = _seconds(
        lambda: SegmentProfiler(segmentation, reader=reader, random_state=0).fit(
            answers
        )
    )
    transform, _ = _seconds(lambda: profiler.transform(answers))
    report, _ = _seconds(lambda: profiler.to_html())
    print(f"{args.n_customers:,} customers")
    print(f"  segmentation alone     {alone:6.1f} s")
    print(f"  SegmentProfiler.fit    {fit:6.1f} s  (ratio {fit / alone:.2f})")
    print(f"  transform              {transform:6.1f} s")
    print(f"  to_html (no 2-D map)   {report:6.1f} s")


if __name__ == "__main__":
    main()
