"""Fail on committed notebook outputs that a reader should not see: a stray warning or error (stderr, or text naming a Warning),
or an absolute path of the machine that ran the notebook. Run by `make test` (check-outputs)."""
import json, re, sys
from pathlib import Path

PATH = re.compile(r'(?<![\w.])(/(?:home|root|tmp|work|Users|private|var/folders)/|[A-Z]:\\\\)')  # a path of some machine
WARNING = re.compile(r'\b\w*Warning\b|^Traceback', re.M)

def texts(out):
    "The text an output shows: a stream's, or the plain/HTML text of a result"
    if out.get('output_type') == 'stream': yield out.get('name'), ''.join(out.get('text', ''))
    for k in ('text/plain', 'text/html', 'text/markdown'):
        if k in out.get('data', {}): yield k, ''.join(out['data'][k])
    if out.get('output_type') == 'error': yield 'error', out.get('ename', '') + ': ' + out.get('evalue', '')

def problems(nb:Path) -> list:
    "One line per output of `nb` that holds a warning, an error or an absolute path"
    out = []
    for i, c in enumerate(json.loads(nb.read_text()).get('cells', [])):
        for o in c.get('outputs', []):
            for kind, t in texts(o):
                if kind in ('stderr', 'error'): out.append(f'{nb}: cell {i}: {kind} output: {t.strip().splitlines()[0][:100] if t.strip() else "(empty)"}')
                elif (m := WARNING.search(t)): out.append(f'{nb}: cell {i}: a warning in the output: {m.group(0)}')
                elif (m := PATH.search(t)): out.append(f'{nb}: cell {i}: an absolute path in the output: {t[m.start():m.start() + 60].splitlines()[0]}')
    return out

if __name__ == '__main__':
    found = [p for nb in sorted(Path('nbs').rglob('*.ipynb')) if '.ipynb_checkpoints' not in nb.parts for p in problems(nb)]
    for p in found: print(p)
    if found: sys.exit(f'{len(found)} committed output(s) with a warning, an error or a machine path: silence the warning at its source, or clear the output')
    print('committed outputs: no warnings, errors or machine paths')
