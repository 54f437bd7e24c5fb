"""Speech in: turning what the person says into commands."""
