"""The runtime: the only place with threads and a real clock.

It turns typed lines, recognised speech and timer ticks into events, feeds the
pure session, and hands its actions to sinks (text, audio, history).
"""
