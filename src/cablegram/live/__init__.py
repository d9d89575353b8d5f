"""Live coverage: reading web pages and feeds, and following them as they publish (cablegram watch)."""
