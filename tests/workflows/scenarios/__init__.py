"""The golden scenarios (see rounds.py); `tests.workflows.scenarios` keeps its public names."""

from tests.workflows.scenarios.rounds import *  # noqa: F403
from tests.workflows.scenarios.rounds import SCENARIOS  # noqa: F401
