"""arshjul: a Swedish municipality's årshjul as durable Temporal workflows."""

__version__ = "0.2.0"
