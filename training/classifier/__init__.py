"""Fine-tuning, calibration, evaluation and export of the multi-task copilot classifier."""
