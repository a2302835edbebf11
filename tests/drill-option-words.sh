#!/bin/sh
# Runs tests/drill-option-words.py (options describe the option, never
# the scenario's symptoms or the assessment's answer).
exec python3 "${REWIND_SRCDIR:-.}/tests/drill-option-words.py"
