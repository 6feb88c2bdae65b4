"""Retrieval: embeddings, the Chroma store and the matcher that ranks creators for a brief."""
