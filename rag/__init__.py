"""The answer chain: read the question, find evidence by code (records, typed candidates), let the model
choose and phrase, check, cite; claims judged on the same evidence."""
