"""Stage 6, analysis: comparisons, feasibility reports, sweep statistics, sensitivity."""
