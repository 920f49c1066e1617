"""Questions asked on top of routing: port comparison, matrices, reach, time-cost fronts,
sweeps, side-by-side scenarios, network diffs, the place catalog, calibration and
route explanations."""
