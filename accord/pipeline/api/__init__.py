"""REST API of the pipeline app: serializers validate, the services write. One module per area;
importing them registers their viewsets on the router."""

from . import buying, competitors, config, opportunities, signals, targets
from .router import router

__all__ = ["buying", "competitors", "config", "opportunities", "router", "signals", "targets"]
