"""Charts from result tables. The only package that imports matplotlib.

Every function takes tables (or plans) and an optional ``ax`` and returns the Figure.
"""
