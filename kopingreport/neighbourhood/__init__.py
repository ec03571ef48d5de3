"""Grannsamverkan: residents apply to be kontaktombud; the coordinator keeps the register."""
