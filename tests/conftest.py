"""Settings for the whole test suite."""

import os

from inclusion_sim.delivery.schedulers import CHECK_ENV

# Every schedule any test makes (greedy or optimal, in this process or a child) must pass the
# independent checker of the scheduling rules.
os.environ[CHECK_ENV] = "1"
