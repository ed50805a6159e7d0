"""Thin routes: parse, call storage or a capability, shape the answer."""
