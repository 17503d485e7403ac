"""The engine's voice: codes and values phrased in the reader's language."""
