"""The elementary functions (sin, exp, atan2, log with a base, floor, ...), as methods and as
functions of the module, in both modes, against :mod:`math` and their exact derivatives."""
