"""Evaluation harness: gold Q&A pairs and the evaluators. Nothing in the product imports this."""
