"""A real `copilot` server process for fault tests; with FAULT_KILL_ON_PUSH=1 the process
dies (os._exit) right after an alert is stored and before it is pushed."""

from __future__ import annotations

import os
import sys

import uvicorn

from copilot.api.main import create_app
from copilot.settings import Settings

app = create_app(Settings())
if os.environ.get("FAULT_KILL_ON_PUSH") == "1":
    def _die(*args, **kwargs):  # noqa: ANN002, ANN003
        os._exit(137)

    app.state.hub.publish_threadsafe = _die

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", log_config=None)
