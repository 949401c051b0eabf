"""Shared test support: the demo cast and builders used by every app's tests."""
