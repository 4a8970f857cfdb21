"""One module per imitated service; each exposes ``handle(request, state)``.

The server only routes by URL prefix and applies the generic faults; what a
service answers, and in which wire format, lives in its module.
"""
