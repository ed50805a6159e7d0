"""Capabilities: the domain logic, pure Python, taking backends and records as arguments."""
