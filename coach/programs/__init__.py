"""The routines that ship with coach, as YAML data (see coach.program.loader)."""
