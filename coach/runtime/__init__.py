"""The runtime: the only place with threads and a real clock.

Every run goes round one loop (``loop.SessionLoop``): a clock, the pure
session's Runner, and inputs that turn typed lines, recognised speech and the
voice's own events into events; the session's actions go to sinks (text,
audio, history). The live coach, keys mode, the demo, replays, the tests and
the soak differ only in their clock, their inputs and their sinks. README's
Development section maps the modules and which way calls go.
"""
