"""The web console (`/console`): server-rendered pages for each role; see docs/console.md."""

from pantau.console.render import STATIC
from pantau.console.routes import router

__all__ = ["STATIC", "router"]
