"""The NLU pipeline's own components and the pure models behind them (see config.yml)."""
