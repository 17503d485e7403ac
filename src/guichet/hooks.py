"""Hooks: a question that a lower app asks and an app above it answers.

An app never imports an app above it. Where a lower app's page needs a fact that a higher app keeps (the
catalogue's workspace shows the reservations made in calls for offers; a project's decision lists the
premises offered in its calls; the labour panel tests a project's hiring plan), the lower app declares a
:class:`Hook` with the answer it would give alone, and the higher app supplies its own when it starts (in its
``AppConfig.ready``). The hook is called like the function it stands for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P, R]):
    def __init__(self, alone: Callable[P, R]) -> None:
        self._answer = alone
        self.__doc__ = alone.__doc__

    def answer_with(self, answer: Callable[P, R]) -> None:
        """Called once, by the app above, when it starts."""
        self._answer = answer

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._answer(*args, **kwargs)
