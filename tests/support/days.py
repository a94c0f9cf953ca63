"""Living on another day: for what changes with the date alone (an action falling overdue)."""

from django.utils import timezone


def on_day(monkeypatch, day):
    """Today is `day` for the code under test; turning a given moment into its day is unchanged."""
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate",
                        lambda value=None, timezone=None: day if value is None else localdate(value, timezone))
