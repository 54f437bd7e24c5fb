"""Speech in: turning what the person says into commands."""

# The engines a person can choose (--engine), best first: Whisper is the
# embedded default, Vosk needs a model installed, PocketSphinx is the light
# fallback.
ENGINES = ("whisper", "vosk", "sphinx")
