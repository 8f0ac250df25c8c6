"""Turning a packet's data and exhibits into the PDF counsel files (see ARCHITECTURE.md, "Rendering")."""
