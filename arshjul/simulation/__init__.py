"""The year simulator: a script of what people do, in-memory activities, and the driver."""
