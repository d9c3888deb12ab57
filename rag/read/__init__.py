"""Reading a question: its language, what it asks, a follow-up made standalone, English rendered in the documents' words."""
