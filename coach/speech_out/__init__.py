"""Speech out: offline TTS rendered to PCM, cached, and played on one timeline.

- ``synthesis``: the ``Renderer`` protocol and the phrase clean-up (trim, resample)
- ``pyttsx3_renderer``: ``Pyttsx3Renderer``, one thread owning pyttsx3 on espeak-ng
- ``cache``: ``PhraseCache``, rendered phrases in memory and on disk
- ``earcons``: the short tones (beat, start, rest over, done)
- ``timeline``: where each phrase goes on the timeline (pure sample arithmetic)
- ``playout``: ``Playout``, the scheduler and mixer behind every audio sink
- ``sinks``: ``WavTimelineSink`` (a session to a WAV file on a manual clock)
  and ``FallbackVoice`` (live audio that carries on in text if the device or
  the engine fails); the text voice itself is ``coach.runtime.text_voice.TextVoice``
- ``warmup``: ``recurring_phrases``, what to render before a session starts
"""
