"""Backends that call any OpenAI-compatible server (vLLM, Ollama, llama.cpp server)."""
