"""Fail on a line of the package (`lint_nb/*.py`) longer than settings.ini's `max_line_length`.
Run by `make test` (check-lines).
Left out: `_modidx.py` and the `__all__` lists, which nbdev writes itself (it wraps `__all__` at 120 characters after its
`__all__ = `)."""
import configparser, sys
from pathlib import Path

def too_long(folder='lint_nb', width:int=None) -> list:
    "One line per line of `folder`'s modules over `width` characters (default: settings.ini's `max_line_length`)"
    if width is None:
        cfg = configparser.ConfigParser(); cfg.read('settings.ini')
        width = cfg['DEFAULT'].getint('max_line_length')
    out = []
    for f in sorted(Path(folder).glob('*.py')):
        if f.name == '_modidx.py': continue
        for i, l in enumerate(f.read_text().splitlines(), 1):
            if len(l) > width and not l.startswith('__all__ = '):
                out.append(f'{f}:{i}: {len(l)} characters (at most {width})')
    return out

if __name__ == '__main__':
    found = too_long()
    for p in found: print(p)
    if found: sys.exit(f'{len(found)} line(s) too long: wrap them in the notebooks (a comment on a parameter can go on '
                       'the lines above it, where docments reads it too), then make export')
    print('lint_nb/: no line over max_line_length')
