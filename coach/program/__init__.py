"""Programs: the routine model, its YAML loader and routine selection."""
