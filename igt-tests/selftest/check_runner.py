#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""TAP self-test of tyrc-igt-runner, driven by the st_* self-test binaries.

Usage: check_runner.py <tyrc-igt-runner> <directory with st_* binaries> <scratch dir>
"""

import json
import os
import re
import shutil
import subprocess
import sys

RUNNER, BINDIR, SCRATCH = sys.argv[1:4]
RESULTS = []


def check(name, cond, diag=''):
    RESULTS.append((name, bool(cond), diag))


def runner(*args, timeout=120):
    env = dict(os.environ)
    for key in ('IGT_LOG_LEVEL', 'IGT_FORCE_DRIVER', 'LD_PRELOAD'):
        env.pop(key, None)
    proc = subprocess.run([sys.executable, RUNNER] + list(args), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return (proc.returncode, proc.stdout.decode(errors='replace'),
            proc.stderr.decode(errors='replace'))


def binary(name):
    return os.path.join(BINDIR, name)


def fresh(name):
    path = os.path.join(SCRATCH, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


def load(path):
    with open(os.path.join(path, 'results.json')) as f:
        return json.load(f)


def diag_of(rc, out, err):
    return 'rc=%s\n--- stdout\n%s--- stderr\n%s' % (rc, out, err)


def results_of(doc):
    return {name: entry['result'] for name, entry in doc['tests'].items()}


os.makedirs(SCRATCH, exist_ok=True)

# ---- a full run over every result kind ----
res = fresh('full')
rc, out, err = runner('--per-test-timeout', '3', binary('st_runner'), binary('st_simple'),
                      binary('st_dynamic'), res)
d = diag_of(rc, out, err)
check('failing run exits 1', rc == 1, d)
out_lines = out.splitlines()
check('last line is the summary', out_lines and out_lines[-1] == '9 passed, 7 failed, 4 skipped',
      d)
check('failure kinds line before the summary',
      len(out_lines) > 1 and out_lines[-2] == 'Failures: 3 fail, 2 crash, 1 timeout, 1 warn', d)
progress = [l for l in out_lines if l.startswith('[')]
check('one progress line per execution',
      len(progress) == 14 and
      all(re.match(r'^\[\s*\d+/14\] [a-z0-9_@-]+: [a-z-]+ \(\d+\.\d\ds\)$', l) for l in progress)
      and progress[0] == '[ 1/14] st_runner@pass: pass (0.00s)', d)

doc = load(res)
check('results.json header',
      doc.get('__type__') == 'TestrunResult' and doc.get('results_version') == 10 and
      doc.get('name') == 'full' and isinstance(doc.get('uname'), str) and
      doc['time_elapsed']['__type__'] == 'TimeAttribute' and
      doc['time_elapsed']['end'] >= doc['time_elapsed']['start'], json.dumps(doc)[:2000])
expect = {
    'igt@st_runner@pass': 'pass',
    'igt@st_runner@warn': 'warn',
    'igt@st_runner@fail': 'fail',
    'igt@st_runner@skip': 'skip',
    'igt@st_runner@crash': 'crash',
    'igt@st_runner@killed': 'crash',
    'igt@st_runner@hang': 'timeout',
    'igt@st_runner@dyn@one': 'pass',
    'igt@st_runner@dyn@two': 'fail',
    'igt@st_simple': 'pass',
    'igt@st_dynamic@dyn-pass@item-0': 'pass',
    'igt@st_dynamic@dyn-pass@item-1': 'pass',
    'igt@st_dynamic@dyn-pass@item-2': 'pass',
    'igt@st_dynamic@dyn-fail@good': 'pass',
    'igt@st_dynamic@dyn-fail@bad': 'fail',
    'igt@st_dynamic@dyn-fail@after-bad': 'pass',
    'igt@st_dynamic@dyn-none': 'skip',
    'igt@st_dynamic@dyn-skip@skipped': 'skip',
    'igt@st_dynamic@dyn-skip@passed': 'pass',
    'igt@st_dynamic@dyn-require': 'skip',
}
got = results_of(doc)
check('results per test (dynamic containers pruned)', got == expect,
      'got: %s' % json.dumps(got, indent=1, sort_keys=True))
entry = doc['tests'].get('igt@st_runner@warn', {})
check('test entry fields',
      set(entry) >= {'out', 'err', 'igt-version', 'result', 'time', 'dmesg'} and
      entry['igt-version'].startswith('IGT-Version: ') and
      'WARNING: something odd' in entry['err'] and
      entry['time']['__type__'] == 'TimeAttribute', json.dumps(entry, indent=1))
dyn = doc['tests'].get('igt@st_runner@dyn@two', {})
check('dynamic entries get their own output slice',
      'Starting dynamic subtest: two' in dyn.get('err', '') and
      'Dynamic subtest one' not in dyn.get('err', '') and
      'Dynamic subtest two: FAIL' in dyn.get('out', ''), json.dumps(dyn, indent=1))
totals = doc.get('totals', {})
check('totals for "", "root" and each binary',
      set(totals) == {'', 'root', 'igt@st_runner', 'igt@st_simple', 'igt@st_dynamic'} and
      totals[''] == totals['root'] and totals['']['pass'] == 9 and totals['']['crash'] == 2 and
      totals['igt@st_runner']['timeout'] == 1 and
      all(set(t) >= {'pass', 'fail', 'skip', 'warn', 'crash', 'timeout', 'abort', 'incomplete',
                     'notrun', 'dmesg-warn', 'dmesg-fail'} for t in totals.values()),
      json.dumps(totals, indent=1))
check('runtimes per binary',
      set(doc.get('runtimes', {})) == {'igt@st_runner', 'igt@st_simple', 'igt@st_dynamic'} and
      doc['runtimes']['igt@st_runner']['time']['end'] >= 3.0, json.dumps(doc.get('runtimes')))
check('per-execution directories',
      all(os.path.isfile(os.path.join(res, str(i), f)) for i in range(14)
          for f in ('out.txt', 'err.txt', 'dmesg.txt', 'journal.txt')) and
      all(os.path.isfile(os.path.join(res, f)) for f in
          ('joblist.txt', 'metadata.txt', 'starttime.txt', 'endtime.txt', 'uname.txt')), d)
check('executions get --run-subtest (one subtest each)',
      open(os.path.join(res, '0', 'out.txt')).read().count('Starting subtest: ') == 1, d)

# ---- --list, -t and -x ----
rc, out, err = runner('--list', binary('st_runner'), binary('st_simple'))
check('--list prints the test names',
      rc == 0 and out.splitlines() == ['igt@st_runner@' + s for s in
                                       ('pass', 'warn', 'fail', 'skip', 'crash', 'killed',
                                        'hang', 'dyn')] + ['igt@st_simple'],
      diag_of(rc, out, err))
rc, out, err = runner('--list', '-t', r'st_runner@(pass|warn)$', '-t', 'simple',
                      binary('st_runner'), binary('st_simple'))
check('-t includes by regex', rc == 0 and out.splitlines() == [
    'igt@st_runner@pass', 'igt@st_runner@warn', 'igt@st_simple'], diag_of(rc, out, err))
rc, out, err = runner('--list', '-x', 'hang|crash|killed', '-x', 'dyn', binary('st_runner'))
check('-x excludes by regex', rc == 0 and out.splitlines() == [
    'igt@st_runner@' + s for s in ('pass', 'warn', 'fail', 'skip')], diag_of(rc, out, err))

blocklist = os.path.join(SCRATCH, 'blocklist.txt')
with open(blocklist, 'w') as f:
    f.write('# not these\nst_runner@(hang|crash|killed)\n\nst_runner@dyn\n')
rc, out, err = runner('--list', '-b', blocklist, binary('st_runner'))
check('-b excludes the regexes of a blocklist file', rc == 0 and out.splitlines() == [
    'igt@st_runner@' + s for s in ('pass', 'warn', 'fail', 'skip')], diag_of(rc, out, err))

# ---- a test root with test-list.txt; all pass or skip -> exit 0 ----
root = fresh('root')
os.makedirs(root)
for name in ('st_pass', 'st_skip'):
    os.symlink(binary(name), os.path.join(root, name))
with open(os.path.join(root, 'test-list.txt'), 'w') as f:
    f.write('TESTLIST\nst_pass st_skip\nEND TESTLIST\n')
res = fresh('root-results')
rc, out, err = runner(root, res)
check('test root with test-list.txt; no failures exits 0',
      rc == 0 and out.splitlines()[-1] == '4 passed, 0 failed, 5 skipped' and
      'Failures:' not in out, diag_of(rc, out, err))

# ---- --test-list with a dynamic subtest ----
tlist = os.path.join(SCRATCH, 'tests.txt')
with open(tlist, 'w') as f:
    f.write('# comment\nigt@st_runner@pass\nigt@st_dynamic@dyn-fail@good\n')
res = fresh('testlist-results')
rc, out, err = runner('--test-list', tlist, binary('st_runner'), binary('st_dynamic'), res)
check('--test-list selects subtests and dynamic subtests',
      rc == 0 and os.path.exists(os.path.join(res, 'results.json')) and
      results_of(load(res)) == {'igt@st_runner@pass': 'pass',
                                'igt@st_dynamic@dyn-fail@good': 'pass'},
      diag_of(rc, out, err))

# ---- results directory handling ----
rc, out, err = runner(binary('st_simple'), res)
check('refuses an existing results directory without -o',
      rc != 0 and 'not empty' in err, diag_of(rc, out, err))
rc, out, err = runner('-o', binary('st_simple'), res)
check('-o overwrites a results directory',
      rc == 0 and results_of(load(res)) == {'igt@st_simple': 'pass'}, diag_of(rc, out, err))
other = fresh('not-results')
os.makedirs(other)
open(os.path.join(other, 'precious.txt'), 'w').close()
rc, out, err = runner('-o', binary('st_simple'), other)
check('-o refuses a directory that is not a results directory',
      rc != 0 and os.path.exists(os.path.join(other, 'precious.txt')), diag_of(rc, out, err))

# ---- environment and --prefix-cmd ----
res = fresh('env-results')
rc, out, err = runner('-e', 'IGT_LOG_LEVEL=debug', '-t', 'pass-a', binary('st_pass'), res)
check('-e passes environment to the tests',
      rc == 0 and 'DEBUG: debug from pass-a' in load(res)['tests']['igt@st_pass@pass-a']['out'],
      diag_of(rc, out, err))
res = fresh('prefix-results')
rc, out, err = runner('--prefix-cmd', 'env IGT_LOG_LEVEL=debug', '-t', 'pass-a',
                      binary('st_pass'), res)
check('--prefix-cmd wraps each execution',
      rc == 0 and 'DEBUG: debug from pass-a' in load(res)['tests']['igt@st_pass@pass-a']['out'],
      diag_of(rc, out, err))

# ---- a binary whose --list-subtests fails ----
res = fresh('listfail-results')
rc, out, err = runner(binary('st_invalid_name'), binary('st_simple'), res)
check('a failing --list-subtests is reported as a failed test',
      rc == 1 and results_of(load(res)) == {'igt@st_invalid_name': 'fail',
                                            'igt@st_simple': 'pass'} and
      out.splitlines()[-1] == '1 passed, 1 failed, 0 skipped', diag_of(rc, out, err))

for i, (name, ok, diag) in enumerate(RESULTS, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for line in diag.splitlines():
            print('# ' + line)
print('1..%d' % len(RESULTS))
sys.exit(0)
