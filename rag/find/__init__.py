"""Finding evidence: hybrid retrieval, passages and spans, typed candidates, the evidence of one question."""
