"""Medborgardialog: dialogue surveys built by the coordinator and answered by residents."""
