"""`campaign-gen serve`: the pack built into a temporary folder, served on this machine, rebuilt on every save.

    session.py   the session: temporary folder, first build, a build after every save, clean stop
    watcher.py   which files a pack depends on, and waiting for the next save (watchdog)
    server.py    the HTTP server: the build folder only, HTML pages with the update script, the version endpoint
    page.py      the update script's tag, the cards' addresses, the error panel and the "building" page

The browser side is generator/data/serve.js. docs/serve.md is the user's guide.
"""

from generator.serve.session import Outcome, ServeSession  # noqa: F401
from generator.serve.server import is_loopback  # noqa: F401
