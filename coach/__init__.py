"""coach: an offline, hands-free, voice-guided home exercise coach."""

__version__ = "0.1.0"
