"""Making the answer: facts from text, comparisons, the abstain policy, numbered citations."""
