"""egov: open e-government platform for Vietnamese provinces."""

__version__ = "0.1.0"
