"""Leaf helpers shared by every layer (they import nothing else from mediamon)."""
