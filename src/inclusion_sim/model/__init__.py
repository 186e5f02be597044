"""Stage 4, the model: state arrays, Mesa agents, the step table of mechanisms, outcomes."""
