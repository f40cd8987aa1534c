"""Temporal workflows: the annual cycle and one report round per unit and period."""
