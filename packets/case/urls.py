"""The case's URLs, a list per capability module: under /packets/<packet_id>/case/ and at the top level."""

from django.urls import URLPattern

from packets.case import (
    urls_amend,
    urls_caseload,
    urls_closing,
    urls_core,
    urls_deadlines,
    urls_outcome,
    urls_render,
    urls_reparole,
    urls_rfe,
)

_MODULES = (
    urls_core,
    urls_rfe,
    urls_render,
    urls_amend,
    urls_outcome,
    urls_deadlines,
    urls_closing,
    urls_caseload,
    urls_reparole,
)

packet_patterns: list[URLPattern] = [pattern for module in _MODULES for pattern in module.packet_patterns]
user_patterns: list[URLPattern] = [pattern for module in _MODULES for pattern in module.user_patterns]
