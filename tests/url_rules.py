"""URL rules whose builders are compiled once per process, for the tests' many apps.

Every test makes its own app, and werkzeug compiles two URL builder functions for each of its
~140 rules (an AST built and compiled per rule): about 80 % of create_app's time. The builder's
code depends only on the rule's parsed parts and its defaults, the same in every app the tests
make, so `CachedBuilderRule` keeps each builder function and hands it to the next rule with the
same inputs. The function is a plain one (no closure): werkzeug binds it to the rule
(`__get__`), and it reaches the rule's own converters through that `self` at call time.

conftest.py installs it with Flask's documented hook, `Flask.url_rule_class`.
tests/test_wiring.py checks that every rule of the app gets the very code werkzeug compiles.
"""

from werkzeug.routing import Rule

_builders: dict[tuple, object] = {}


class CachedBuilderRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        # What werkzeug's _compile_builder reads: the parsed parts (_trace), the defaults'
        # names, the URL text of the defaults of dynamic parts; the rule names the function.
        defaults = self.defaults or {}
        key = (
            append_unknown,
            self.rule,
            tuple(self._trace),
            tuple(defaults),
            tuple(
                (name, self._converters[name].to_url(value))
                for name, value in defaults.items()
                if name in self._converters
            ),
        )
        builder = _builders.get(key)
        if builder is None:
            builder = _builders[key] = super()._compile_builder(append_unknown)
        return builder
