"""Data only: the programs that ship with coach, as YAML (read by coach.program.loader)."""
