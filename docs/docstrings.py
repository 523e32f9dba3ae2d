"""A griffe extension (loaded by mkdocs.yml): the package's docstrings as Markdown.

The docstrings are written for ``help()``, with Sphinx-style roles and doctests. For
the site, each object's docstring is rewritten once the package is loaded:

- ``:class:`Trace``` and the other roles become a link to the reference entry when
  the name is the package's (``Trace``, ``~wengert.record``, ``Real`` inside
  ``wengert.typing``), and plain code otherwise (``:func:`math.floor```);
- a doctest (a run of lines from ``>>>`` to the next blank line) becomes a ``pycon``
  code block;
- a paragraph that ends in ``::`` ends in ``:`` (the indented block after it is a
  code block in Markdown already).

A function that the stubs declare only through ``@overload`` (as a stub may: ``record``)
becomes a function with those overloads and the first one's docstring, so it has an
entry too.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|attr|mod|exc|data|obj):`(~?)([\w.]+)`")


class SphinxToMarkdown(griffe.Extension):
    """Rewrites every docstring of the package when it has been loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in walk(pkg):
            if obj.is_module:
                declare_overloaded(obj)  # type: ignore[arg-type]
        for obj in walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj.docstring.value, obj, pkg)


def declare_overloaded(module: griffe.Module) -> None:
    """Give each function of ``module`` known only by its overloads a member of its own."""
    for name, overloads in list(module.overloads.items()):
        if not overloads or name in module.members:
            continue
        first = overloads[0]
        function = griffe.Function(
            name,
            lineno=first.lineno,
            endlineno=overloads[-1].endlineno,
            parameters=first.parameters,
            returns=first.returns,
            docstring=first.docstring,
            parent=module,
        )
        function.overloads = overloads
        module.set_member(name, function)
        del module.overloads[name]


def walk(obj: griffe.Object) -> list[griffe.Object]:
    """``obj`` and every object defined under it (aliases are documented where they point)."""
    found = [obj]
    for member in obj.members.values():
        if not member.is_alias:
            found += walk(member)  # type: ignore[arg-type]
    return found


def identifier(name: str, obj: griffe.Object, pkg: griffe.Module) -> str | None:
    """The reference entry of ``name`` as seen from ``obj``'s module: a name of the
    package (not one it imports from elsewhere, as ``math``), or None."""
    if name.startswith(pkg.name + "."):
        scopes = [(pkg, name[len(pkg.name) + 1 :])]
    else:
        scopes = [(obj.module, name), (pkg, name)]
    for scope, member_name in scopes:
        member = scope.members.get(member_name)
        if member is None:
            continue
        if member.is_alias and not member.target_path.startswith(pkg.name + "."):  # type: ignore[union-attr]
            return None
        return f"{scope.path}.{member_name}"
    return None


def markdown(text: str, obj: griffe.Object, pkg: griffe.Module) -> str:
    def role(match: re.Match[str]) -> str:
        short, name = match.groups()
        shown = name.rsplit(".", 1)[-1] if short else name
        target = identifier(name, obj, pkg)
        return f"[`{shown}`][{target}]" if target else f"`{shown}`"

    lines: list[str] = []
    indent = None  # the doctest's indentation while in one, else None
    for line in ROLE.sub(role, text).split("\n"):
        if indent is None and line.lstrip().startswith(">>>"):
            lines.append("```pycon")
            indent = len(line) - len(line.lstrip())
        elif indent is not None and not line.strip():
            lines.append("```")
            indent = None
        if indent is not None:
            line = line[indent:]
        elif line.endswith("::") and not line.endswith(":::"):
            line = line[:-1]
        lines.append(line)
    if indent is not None:
        lines.append("```")
    return "\n".join(lines)
