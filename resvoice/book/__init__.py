"""The restaurant's book for its staff: list reservations, and cancel, move or note one."""
