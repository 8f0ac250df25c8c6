"""Turning a packet's data and exhibits into the PDF counsel files (see docs/architecture.md, "Rendering")."""
