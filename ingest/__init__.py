"""Ingestion: read files, clean, chunk with structure, embed, and write the dense and sparse indexes."""
