"""The papers' methods, grouped by use (one paper = one module)."""
