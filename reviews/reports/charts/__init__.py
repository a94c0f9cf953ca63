"""Report charts: see drawing.py for how they are drawn (all of a report's charts as bands of
one figure), service.py and network.py for each report's own."""

from reviews.reports.charts.network import network_charts
from reviews.reports.charts.service import service_charts

__all__ = ["network_charts", "service_charts"]
