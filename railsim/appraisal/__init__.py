"""Appraisal: cash flows, financial KPIs, societal cost-benefit analysis, uncertainty."""
