"""Trygghetsvandring: safety walks with stops, a printable protocol and tracked åtgärder."""
