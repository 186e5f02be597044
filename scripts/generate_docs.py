"""Rewrite every generated document (``make docs``; ``--check`` only reports).

The parameter reference, the step table in docs/ODD.md and the order of operations in the
model's docstring all come from `inclusion_sim.model.steps` and `inclusion_sim.base.params`.
"""

import sys

from inclusion_sim.model.steps import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
