"""The LLM layer: chat models for OpenAI, any OpenAI-compatible server, or the bundled local one.

- :mod:`app.llm.providers` is the only place chat models are built (``ChatOpenAI``) and the
  only place that knows the openai client's exceptions.
- :mod:`app.llm.local_server` runs the bundled SmolLM2-135M GGUF with llama-cpp-python's
  OpenAI-compatible server on a loopback port, one per process.
- :mod:`app.llm.prompting` renders the prompt files in ``prompts/``.
- :mod:`app.llm.streams` streams replies with deadlines, timing and clear errors.

This package module imports nothing on purpose: ``python -m app.llm.local_server`` runs the
server process and must start fast.
"""
