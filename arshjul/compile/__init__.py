"""Sammanställning: the units' submissions compiled into the municipality's report."""
