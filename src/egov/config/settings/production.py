"""Production: base with debug forced off. Everything else is the environment's business."""

import os

os.environ["EGOV_DEBUG"] = "0"

from egov.config.settings.base import *  # noqa: F403
