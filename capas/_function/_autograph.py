"""A small AutoGraph: rewrite the tensor loops of a traced function (runtime: `_loops.py`).

`convert(fn)` reads the function's source once (`inspect.getsource`, `ast`) and rewrites each
loop of its own body of the form

    for x in <anything>.range(<arguments>):
        <body without break, continue, return, yield, await, global, nonlocal, del, import,
         def, class, try/except-as, match or :=>

into

    if False:                      # the loop's names stay local to the function
        x = a = b = None
    def _capas_body_1(_capas_index):
        nonlocal x, a, b
        x = _capas_index
        <body>
    def _capas_set_1(_capas_values):
        nonlocal x, a, b
        if _capas_values[0] is not _capas_ag.UNDEFINED:
            x = _capas_values[0]
        ...
    _capas_ag.for_range(<anything>.range, _capas_ag.arguments(<arguments>), _capas_body_1,
                        (lambda: x, lambda: a, lambda: b), _capas_set_1, ('x', 'a', 'b'))

(`a`, `b`: every name the body assigns). A `while <condition>:` loop (same body rules, no
`else:`) becomes `_capas_ag.while_loop(_capas_cond_1, _capas_body_1, getters, setter, names)`
with `def _capas_cond_1(): return <condition>`. The new function shares the original's globals,
closure cells (matched by name), defaults and line numbers; a method is compiled inside a class
of its class's name, so `super()` and private names work. The decorators are dropped. Anything
else (no source, a lambda, a generator, a wrapper, other loops) is left as it is: `convert`
returns the function itself, which then runs exactly as before.
"""

import ast
import inspect
import textwrap
import types
import weakref

from capas._function import _loops

_RUNTIME = "_capas_ag"
_converted = weakref.WeakKeyDictionary()

# Statements and expressions a converted body may not hold: they act on the enclosing function
# (return, yield), on the loop (break, continue) or bind names in ways `nonlocal` cannot carry
# (an `except ... as e` name is refused separately).
_REFUSED = (
    ast.Break, ast.Continue, ast.Return, ast.Yield, ast.YieldFrom, ast.Await, ast.Global,
    ast.Nonlocal, ast.Delete, ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
    ast.ClassDef, ast.NamedExpr, ast.AnnAssign, ast.Match, ast.AsyncFor, ast.AsyncWith,
)  # fmt: skip
_NESTED_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LOOPS = (ast.For, ast.While)


def convert(fn):
    """`fn` with its tensor loops rewritten, or `fn` itself (once per function)."""
    try:
        return _converted[fn]
    except (KeyError, TypeError):
        pass
    try:
        converted = _convert(fn)
    except (OSError, TypeError, SyntaxError, ValueError):  # no source, or source we cannot rebuild
        converted = fn
    try:
        _converted[fn] = converted
    except TypeError:
        pass
    return converted


def _convert(fn):
    if not isinstance(fn, types.FunctionType) or fn.__name__ == "<lambda>" or hasattr(fn, "__wrapped__"):
        return fn
    code = fn.__code__
    if code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return fn
    lines, first_line = inspect.getsourcelines(fn)
    source = textwrap.dedent("".join(lines))
    if ".range(" not in source.replace(" ", "") and "while" not in source:
        return fn  # the common case: nothing to convert, no parsing
    tree = ast.parse(source)
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef) or tree.body[0].name != fn.__name__:
        return fn
    ast.increment_lineno(tree, first_line - 1)
    function = tree.body[0]
    function.decorator_list = []
    _explicit_super(function, fn)
    converter = _LoopConverter(_declared_global(function))
    function.body = converter.visit_statements(function.body)
    if not converter.count:
        return fn
    module = _factory_module(function, fn)
    ast.fix_missing_locations(module)
    compiled = compile(module, code.co_filename, "exec")
    new_code = _find_code(compiled, fn.__name__)
    if new_code is None or not _same_signature(new_code, code):
        return fn  # the file changed since the function was defined
    closure = _closure(new_code, fn)
    if closure is None:
        return fn
    new = types.FunctionType(new_code, fn.__globals__, fn.__name__, fn.__defaults__, closure)
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__qualname__ = fn.__qualname__
    new.__module__ = fn.__module__
    new.__doc__ = fn.__doc__
    new.__dict__.update(fn.__dict__)
    return new


def _explicit_super(function, fn):
    # `super()` reads the class cell and the *enclosing frame's* first argument: in a loop body
    # moved into a nested function that would be the loop index, so spell it out.
    positional = function.args.posonlyargs + function.args.args
    if not positional or "__class__" not in fn.__code__.co_freevars:
        return
    for node in _walk_scope(function.body):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super":
            if not node.args and not node.keywords:
                node.args = [_name("__class__"), _name(positional[0].arg)]


def _declared_global(function):
    names = set()
    for node in _walk_scope(function.body):
        if isinstance(node, ast.Global):
            names.update(node.names)
    return names


def _walk_scope(statements):
    """The nodes of these statements, not entering nested functions, classes or comprehensions."""
    stack = list(reversed(statements))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, *_NESTED_SCOPES)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


class _LoopConverter:
    def __init__(self, globals_):
        self.globals = globals_
        self.count = 0

    def visit_statements(self, statements):
        result = []
        for statement in statements:
            result.extend(self.visit(statement))
        return result

    def visit(self, node):
        # Statements holding statement lists (if, with, for, while, try) are searched too;
        # nested functions and classes are other scopes and are left alone.
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return [node]
        names = None
        if isinstance(node, ast.For):
            names = self._loop_names(node)
        elif isinstance(node, ast.While):
            names = self._while_names(node)
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(node, field, None), list):
                setattr(node, field, self.visit_statements(getattr(node, field)))
        for handler in getattr(node, "handlers", ()):
            handler.body = self.visit_statements(handler.body)
        if names is None:
            return [node]
        self.count += 1
        if isinstance(node, ast.While):
            return _rewrite_while(node, names, self.count)
        return _rewrite(node, names, self.count)

    def _while_names(self, loop):
        """The names a `while` loop's body assigns, or None when it cannot be converted."""
        if loop.orelse or any(isinstance(n, _REFUSED) for n in _walk_scope([ast.Expr(loop.test)])):
            return None
        return self._body_names(loop, [])

    def _loop_names(self, loop):
        """The names the loop assigns (its target first), or None when it cannot be converted."""
        call = loop.iter
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "range"
            and isinstance(loop.target, ast.Name)
            and not loop.orelse
        ):
            return None
        return self._body_names(loop, [loop.target.id])

    def _body_names(self, loop, names):
        for node in _walk_scope(loop.body):
            if isinstance(node, _REFUSED) and not _inner_loop_control(node, loop):
                return None
            if isinstance(node, ast.ExceptHandler) and node.name:
                return None
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and node.id not in names:
                names.append(node.id)
        if any(name in self.globals or name.startswith("_capas_") for name in names):
            return None
        if any(isinstance(node, ast.NamedExpr) for node in ast.walk(loop)):
            return None  # `:=` in a comprehension binds in the loop's scope, where nonlocal cannot reach
        return names


def _inner_loop_control(node, loop):
    """True for a break/continue that belongs to a loop nested in `loop`'s body."""
    if not isinstance(node, (ast.Break, ast.Continue)):
        return False
    for inner in _walk_scope(loop.body):
        if isinstance(inner, _LOOPS) and any(n is node for n in _walk_loop_own(inner)):
            return True
    return False


def _walk_loop_own(loop):
    """The break/continue statements that act on `loop` itself."""
    stack = list(loop.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Break, ast.Continue)):
            yield node
        if isinstance(node, (*_LOOPS, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, *_NESTED_SCOPES)):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _name(name, store=False):
    return ast.Name(id=name, ctx=ast.Store() if store else ast.Load())


def _runtime(attr):
    return ast.Attribute(value=_name(_RUNTIME), attr=attr, ctx=ast.Load())


def _rewrite(loop, names, number):
    body_name, set_name = f"_capas_body_{number}", f"_capas_set_{number}"
    body = ast.FunctionDef(
        name=body_name,
        args=_arguments("_capas_index"),
        body=[
            ast.Nonlocal(names=list(names)),
            ast.Assign(targets=[_name(names[0], store=True)], value=_name("_capas_index")),
            *loop.body,
        ],
        decorator_list=[],
        returns=None,
        type_params=[],
    )
    arguments = ast.Call(func=_runtime("arguments"), args=loop.iter.args, keywords=loop.iter.keywords)
    call = ast.Expr(
        ast.Call(
            func=_runtime("for_range"),
            args=[loop.iter.func, arguments, _name(body_name), _getters(names), _name(set_name), _constants(names)],
            keywords=[],
        )
    )
    statements = [*_declare(names), body, _setter(set_name, names), call]
    for statement in statements:
        ast.copy_location(statement, loop)
    return statements


def _rewrite_while(loop, names, number):
    cond_name, body_name, set_name = f"_capas_cond_{number}", f"_capas_body_{number}", f"_capas_set_{number}"
    cond = ast.FunctionDef(
        name=cond_name, args=_arguments(), body=[ast.Return(loop.test)], decorator_list=[], returns=None, type_params=[]
    )
    declare = [ast.Nonlocal(names=list(names))] if names else []
    body = ast.FunctionDef(
        name=body_name,
        args=_arguments(),
        body=[*declare, *loop.body],
        decorator_list=[],
        returns=None,
        type_params=[],
    )
    call = ast.Expr(
        ast.Call(
            func=_runtime("while_loop"),
            args=[_name(cond_name), _name(body_name), _getters(names), _name(set_name), _constants(names)],
            keywords=[],
        )
    )
    statements = [*_declare(names), cond, body, _setter(set_name, names), call]
    for statement in statements:
        ast.copy_location(statement, loop)
    return statements


def _declare(names):
    if not names:
        return []
    assign = ast.Assign(targets=[_name(n, store=True) for n in names], value=ast.Constant(None))
    return [ast.If(test=ast.Constant(False), body=[assign], orelse=[])]


def _getters(names):
    return ast.Tuple(elts=[ast.Lambda(args=_arguments(), body=_name(n)) for n in names], ctx=ast.Load())


def _constants(names):
    return ast.Tuple(elts=[ast.Constant(n) for n in names], ctx=ast.Load())


def _setter(set_name, names):
    setters = [
        ast.If(
            test=ast.Compare(left=_item("_capas_values", k), ops=[ast.IsNot()], comparators=[_runtime("UNDEFINED")]),
            body=[ast.Assign(targets=[_name(n, store=True)], value=_item("_capas_values", k))],
            orelse=[],
        )
        for k, n in enumerate(names)
    ]
    declare = [ast.Nonlocal(names=list(names))] if names else []
    return ast.FunctionDef(
        name=set_name,
        args=_arguments("_capas_values"),
        body=[*declare, *setters] or [ast.Pass()],
        decorator_list=[],
        returns=None,
        type_params=[],
    )


def _item(name, index):
    return ast.Subscript(value=_name(name), slice=ast.Constant(index), ctx=ast.Load())


def _arguments(*names):
    return ast.arguments(
        posonlyargs=[],
        args=[ast.arg(arg=n) for n in names],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
        vararg=None,
        kwarg=None,
    )


def _factory_module(function, fn):
    """`def _capas_factory(): <free names> = None; [class C:] <function>`, never run: only compiled."""
    free = [name for name in fn.__code__.co_freevars if name != "__class__"]
    inner = function
    parts = fn.__qualname__.split(".")
    owner = parts[-2] if len(parts) > 1 and parts[-2] != "<locals>" else None
    if owner is not None:  # a method: compile it in a class of that name (super(), private names)
        inner = ast.ClassDef(name=owner, bases=[], keywords=[], body=[function], decorator_list=[], type_params=[])
    elif "__class__" in fn.__code__.co_freevars:
        raise ValueError("a function using super() outside a class body")
    locals_ = [ast.Assign(targets=[_name(n, store=True)], value=ast.Constant(None)) for n in (_RUNTIME, *free)]
    factory = ast.FunctionDef(
        name="_capas_factory",
        args=_arguments(),
        body=[*locals_, inner],
        decorator_list=[],
        returns=None,
        type_params=[],
    )
    for node in (factory, inner, *locals_):
        ast.copy_location(node, function)
    return ast.Module(body=[factory], type_ignores=[])


def _same_signature(new, old):
    count = old.co_argcount + old.co_kwonlyargcount + bool(old.co_flags & inspect.CO_VARARGS)
    count += bool(old.co_flags & inspect.CO_VARKEYWORDS)
    return (
        new.co_argcount == old.co_argcount
        and new.co_posonlyargcount == old.co_posonlyargcount
        and new.co_kwonlyargcount == old.co_kwonlyargcount
        and new.co_varnames[:count] == old.co_varnames[:count]
    )


def _find_code(code, name):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_name == name and const.co_name != "_capas_factory":
                return const
            found = _find_code(const, name)
            if found is not None:
                return found
    return None


def _closure(code, fn):
    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    closure = []
    for name in code.co_freevars:
        if name == _RUNTIME:
            closure.append(types.CellType(_loops))
        elif name in cells:
            closure.append(cells[name])
        else:
            return None
    return tuple(closure)
