"""Pydantic models shared by workflows, activities, web and CLI (workflow and activity I/O)."""
