"""Audio helpers shared by speech in and speech out: WAV files and resampling."""
