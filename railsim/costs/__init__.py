"""Costs: unit-cost library, price indexation, investment and operating costs (pure)."""
