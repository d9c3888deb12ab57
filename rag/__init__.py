"""The answer chain: analyse the question, retrieve (hybrid), generate, verify citations, abstain."""
