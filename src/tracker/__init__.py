"""tracker: which announced plans materialised, and how good the forecasts were."""
