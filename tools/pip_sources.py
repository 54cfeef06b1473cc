"""Print uv's options for the package sources that pip is configured with here (pip.conf, PIP_* variables).

uv reads no pip.conf, so `make` hands it the same indexes, wheel folders and constraints that pip would use:
on a machine whose pip uses only PyPI this prints only the index strategy. `--lock` adds pip's constraint files (for `make lock`).
"""
import subprocess, sys

def pip_config() -> dict:
    "pip's configuration as `key → values` (later scopes win, as in pip)"
    out = subprocess.run([sys.executable, '-m', 'pip', 'config', 'list'], capture_output=True, text=True).stdout
    conf = {}
    for line in out.splitlines():
        key, _, val = line.partition('=')
        conf[key.split('.', 1)[-1]] = val.strip().strip("'").split()
    return conf

if __name__ == '__main__':
    conf, args = pip_config(), []
    for key, flag in [('index-url', '--index-url'), ('extra-index-url', '--extra-index-url'), ('find-links', '--find-links')] + \
                     ([('constraint', '--constraint')] if '--lock' in sys.argv else []):
        for v in conf.get(key, []): args += [flag, v]
    print(' '.join(args + ['--index-strategy', 'unsafe-best-match']))
