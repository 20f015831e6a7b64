"""Sidebar suggestions (issue 7): the checked suggestion bank and the ranking engine."""

from copilot.suggest.bank import BankEntry, BankError, SuggestionBank
from copilot.suggest.engine import Suggester, Suggestion, SuggestionSet

__all__ = ["BankEntry", "BankError", "SuggestionBank", "Suggester", "Suggestion", "SuggestionSet"]
