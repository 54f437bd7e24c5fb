"""The fault-injection attempts run by scripts/faults.py, grouped by what they break."""
