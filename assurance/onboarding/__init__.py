"""Onboarding a whole network from one file: organisations, services, people and their roles.

reading.py turns a CSV or XLSX file into rows; checking.py finds every row's errors and plans
what will change (the dry run); applying.py writes the plan in one transaction; invitations.py
sends new people a link to set their own password.
"""
