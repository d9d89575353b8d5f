"""cablegram: news reports to source-attributed PLOVER political event data."""

__version__ = "0.1.0"
