"""The model's part: backends, the cached prompt prefix, prompts, choosing and phrasing, name translation."""
