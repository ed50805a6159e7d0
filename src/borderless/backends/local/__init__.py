"""Backends that run embedded models shipped in Python packages."""
