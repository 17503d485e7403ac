"""The engine's codes and values in the reader's language: scoring, sizing, labour and job messages."""
