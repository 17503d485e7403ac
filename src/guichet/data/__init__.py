"""Small bundled datasets built from registry packages (see territory/PROVENANCE.md)."""
