"""argparse in Vietnamese: its own words in help, usage and errors, and checked option types.

argparse has no public way to translate its words (it calls gettext with the stdlib's domain), so
``Parser`` translates what its public methods return: the help and usage texts and the error
message, from argparse's English as Python 3.11–3.13 word it (tests/test_cli.py checks that
none is left in any command's help or in each kind of error). An error is one line.
"""
from __future__ import annotations

import argparse
import re

__all__ = ["Parser", "at_least_one", "port", "seconds"]

# argparse's own English (Python 3.11–3.13), as it appears in help and usage, and in error messages.
_HELP_WORDS = [
    (r"^usage: ", "cách dùng: "),
    (r"^options:$", "tùy chọn:"),
    (r"^positional arguments:$", "tham số:"),
    (r"show this help message and exit", "in trợ giúp này rồi thoát"),
]
_ERROR_WORDS = [
    (r"^argument (\S+): ", r"tham số \1: "),
    (r"^the following arguments are required: ", "thiếu tham số bắt buộc: "),
    (r"^unrecognized arguments: ", "tham số không hiểu được: "),
    (r"^ambiguous option: (\S+) could match ", r"tùy chọn \1 chưa rõ, có thể là: "),
    (r"invalid choice: (.*) \(choose from (.*)\)$", r"giá trị không hợp lệ \1 (chọn một trong: \2)"),
    (r"invalid \w+ value: (.*)$", r"giá trị không hợp lệ: \1"),
    (r"expected one argument$", "cần một giá trị"),
    (r"expected at least one argument$", "cần ít nhất một giá trị"),
    (r"expected at most one argument$", "cần nhiều nhất một giá trị"),
    (r"not allowed with argument ", "không dùng được cùng tham số "),
    (r"ignored explicit argument ", "tham số thừa: "),
]


def _translate(text: str, words: list[tuple[str, str]]) -> str:
    for english, vietnamese in words:
        text = re.sub(english, vietnamese, text, flags=re.MULTILINE)
    return text


class Parser(argparse.ArgumentParser):
    """argparse with its own words in Vietnamese, and an error in one line."""

    def format_usage(self) -> str:
        return _translate(super().format_usage(), _HELP_WORDS)

    def format_help(self) -> str:
        return _translate(super().format_help(), _HELP_WORDS)

    def error(self, message: str):
        self.exit(2, f"{self.prog}: lỗi: {_translate(message, _ERROR_WORDS)} (xem: {self.prog} --help)\n")


def port(text: str) -> int:
    if not (text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"cổng phải là một số từ 1 đến 65535, không phải {text}")
    return int(text)


def at_least_one(text: str) -> int:
    if not (text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"cần một số nguyên từ 1 trở lên, không phải {text}")
    return int(text)


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also NaN
        raise argparse.ArgumentTypeError(f"cần một số giây không âm, không phải {text}")
    return value
