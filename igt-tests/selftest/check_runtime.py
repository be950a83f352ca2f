#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""TAP self-test of the IGT runtime: runs the st_* binaries and checks exit
codes, listings, subtest selection and output lines against IGT's rules
(reference/igt-api.md sections 1-3). Needs no device.

Usage: check_runtime.py <directory with the st_* binaries>
"""

import os
import re
import signal
import subprocess
import sys

BINDIR = sys.argv[1]
RESULTS = []


def run(binary, *args, env=None, timeout=60):
    full_env = dict(os.environ)
    for key in ('IGT_LOG_LEVEL', 'IGT_FORCE_DRIVER', 'IGT_SENTINEL_ON_STDERR', 'LD_PRELOAD'):
        full_env.pop(key, None)
    full_env.update(env or {})
    proc = subprocess.run([os.path.join(BINDIR, binary)] + list(args), env=full_env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return (proc.returncode, proc.stdout.decode(errors='replace'),
            proc.stderr.decode(errors='replace'))


def check(name, cond, diag=''):
    RESULTS.append((name, bool(cond), diag))


def lines(text):
    return text.splitlines()


def subtest_results(text, dynamic=False):
    """{name: result} from 'Subtest x: RESULT (n.nnns)' lines."""
    prefix = 'Dynamic subtest' if dynamic else 'Subtest'
    regex = re.compile(r'^%s ([A-Za-z0-9_-]+): (SUCCESS|SKIP|FAIL|CRASH) \(-?\d+\.\d{3}s\)$'
                       % prefix)
    found = {}
    for line in lines(text):
        m = regex.match(line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def started(text, dynamic=False):
    prefix = 'Starting dynamic subtest: ' if dynamic else 'Starting subtest: '
    return [line[len(prefix):] for line in lines(text) if line.startswith(prefix)]


SENTINEL = re.compile(r'^(Starting (dynamic )?subtest: [A-Za-z0-9_-]+|'
                      r'(Dynamic subtest|Subtest) [A-Za-z0-9_-]+: [A-Z]+ \(-?\d+\.\d{3}s\))$')


def only_sentinels(text):
    return all(SENTINEL.match(line) for line in lines(text))


def sentinels(text):
    return [line for line in lines(text) if SENTINEL.match(line)]


def diag_of(rc, out, err):
    return 'rc=%s\n--- stdout\n%s--- stderr\n%s' % (rc, out, err)


# ---- st_pass: passing subtests, listing, selection, describe ----
PASS_SUBTESTS = ['pass-a', 'pass-b', 'pass-formatted', 'pass_underscore_9']

rc, out, err = run('st_pass')
d = diag_of(rc, out, err)
check('st_pass exits 0', rc == 0, d)
check('st_pass prints IGT-Version first',
      lines(out)[0].startswith('IGT-Version: ') and re.match(
          r'^IGT-Version: \S+-\S+ \(\S+\) \(\S+: \S+ \S+\)$', lines(out)[0]), d)
check('st_pass all subtests SUCCESS',
      subtest_results(out) == {s: 'SUCCESS' for s in PASS_SUBTESTS}, d)
check('st_pass starts subtests in order', started(out) == PASS_SUBTESTS, d)
check('st_pass sentinel lines repeated on stderr', sentinels(out) == sentinels(err), d)
check('st_pass stderr holds only sentinel lines', only_sentinels(err), d)
check('st_pass no ANSI escapes when stdout is not a tty', '\x1b' not in out, d)
check('st_pass fixtures run', 'fixture ran' in out and 'teardown ran' in out, d)
check('st_pass igt_info printed on stdout', 'info from pass-a\n' in out, d)
check('st_pass igt_debug hidden without --debug', 'debug from pass-a' not in out + err, d)

rc, out, err = run('st_pass', '--debug')
check('st_pass --debug shows igt_debug',
      rc == 0 and re.search(r'^\(st_pass:\d+\) DEBUG: debug from pass-a$', out, re.M),
      diag_of(rc, out, err))
rc, out, err = run('st_pass', env={'IGT_LOG_LEVEL': 'debug'})
check('st_pass IGT_LOG_LEVEL=debug shows igt_debug', 'DEBUG: debug from pass-a' in out,
      diag_of(rc, out, err))

rc, out, err = run('st_pass', '--list-subtests')
d = diag_of(rc, out, err)
check('st_pass --list-subtests exits 0', rc == 0, d)
check('st_pass --list-subtests lists exactly the subtests', lines(out) == PASS_SUBTESTS, d)
check('st_pass --list-subtests runs no fixture and prints nothing else',
      'fixture ran' not in out and err == '', d)

for pattern, expect in [('pass-b', ['pass-b']),
                        ('pass-*,!pass-b', ['pass-a', 'pass-formatted']),
                        ('pass-[ab]', ['pass-a', 'pass-b']),
                        ('pass-[^a]*', ['pass-b', 'pass-formatted']),
                        ('*underscore*', ['pass_underscore_9']),
                        ('pass-?', ['pass-a', 'pass-b'])]:
    rc, out, err = run('st_pass', '--run-subtest', pattern)
    check('st_pass --run-subtest %r runs %s' % (pattern, expect),
          rc == 0 and started(out) == expect and
          subtest_results(out) == {s: 'SUCCESS' for s in expect} and
          'fixture ran' in out, diag_of(rc, out, err))

rc, out, err = run('st_pass', '--run-subtest', 'no-such-subtest')
check('st_pass unknown --run-subtest exits 79',
      rc == 79 and 'Unknown subtest: no-such-subtest' in err and started(out) == [],
      diag_of(rc, out, err))

rc, out, err = run('st_pass', '--describe')
d = diag_of(rc, out, err)
check('st_pass --describe exits 0', rc == 0, d)
check('st_pass --describe starts with the test description',
      lines(out)[0] == 'Self-test of the IGT runtime: every subtest passes.' and lines(out)[1] == '',
      d)
check('st_pass --describe prints SUB lines with file:line',
      [l.split()[1] for l in lines(out) if l.startswith('SUB ')] == PASS_SUBTESTS and
      all(re.match(r'^SUB \S+ \S*st_pass\.c:\d+:$', l)
          for l in lines(out) if l.startswith('SUB ')), d)
check('st_pass --describe prints group and subtest descriptions',
      re.search(r'^SUB pass-b \S+:\n  Subtests in this group share this description\.\n\n'
                r'  The second subtest\.\n', out, re.M) and
      re.search(r'^SUB pass-a \S+:\n  A subtest that passes\.\n', out, re.M), d)
check('st_pass --describe flags undocumented subtests',
      re.search(r'^SUB pass_underscore_9 \S+:\n  NO DOCUMENTATION!\n', out, re.M), d)
check('st_pass --describe runs no fixture', 'fixture ran' not in out, d)

rc, out, err = run('st_pass', '--describe=pass-b')
check('st_pass --describe=glob filters',
      rc == 0 and [l for l in lines(out) if l.startswith('SUB ')] != [] and
      all(l.startswith('SUB pass-b ') for l in lines(out) if l.startswith('SUB ')),
      diag_of(rc, out, err))

rc, out, err = run('st_pass', '--show-testlist')
check('st_pass --show-testlist',
      rc == 0 and lines(out) == ['igt@st_pass@' + s for s in PASS_SUBTESTS],
      diag_of(rc, out, err))

rc, out, err = run('st_pass', '--help')
check('st_pass --help prints usage and exits 0',
      rc == 0 and lines(out)[0] == 'Usage: st_pass [OPTIONS]' and '--list-subtests' in out,
      diag_of(rc, out, err))

rc, out, err = run('st_pass', '--help-description')
check('st_pass --help-description',
      rc == 0 and out == 'Self-test of the IGT runtime: every subtest passes.\n',
      diag_of(rc, out, err))

rc, out, err = run('st_pass', '--no-such-option')
check('st_pass unknown option exits 79 with usage on stderr',
      rc == 79 and 'Usage: st_pass [OPTIONS]' in err, diag_of(rc, out, err))

rc, out, err = run('st_pass', '--device', 'sys:/nowhere', '--run-subtest', 'pass-a')
check('st_pass accepts --device', rc == 0 and started(out) == ['pass-a'], diag_of(rc, out, err))

# ---- st_fail: failures ----
rc, out, err = run('st_fail')
d = diag_of(rc, out, err)
check('st_fail exits 98', rc == 98, d)
check('st_fail results',
      subtest_results(out) == {'pass-first': 'SUCCESS', 'fail-assert': 'FAIL',
                               'fail-assert-f': 'FAIL', 'fail-on': 'FAIL', 'fail-u64': 'FAIL',
                               'fail-explicit': 'FAIL', 'pass-last': 'SUCCESS'}, d)
check('st_fail failure messages on stderr',
      re.search(r'^\(st_fail:\d+\) CRITICAL: Test assertion failure function \S+, file '
                r'\S*st_fail\.c:\d+:$', err, re.M) and
      re.search(r'^\(st_fail:\d+\) CRITICAL: Failed assertion: 1 == 2$', err, re.M) and
      re.search(r'^\(st_fail:\d+\) CRITICAL: error: 1 != 2$', err, re.M) and
      re.search(r'CRITICAL: custom message 42$', err, re.M) and
      re.search(r'CRITICAL: Failed assertion: !\(1 == 1\)$', err, re.M) and
      re.search(r'CRITICAL: error: 0x10 != 0x20$', err, re.M), d)
check('st_fail dumps the log of a failed subtest',
      'Subtest fail-assert-f failed.\n**** DEBUG ****\n' in err and
      re.search(r'^\(st_fail:\d+\) INFO: context before the failure$', err, re.M) and
      '****  END  ****' in err and 'Subtest fail-explicit failed.\nNo log.\n' in err, d)
rc, out, err = run('st_fail', '--run-subtest', 'pass-first')
check('st_fail --run-subtest of a passing subtest exits 0', rc == 0, diag_of(rc, out, err))
rc, out, err = run('st_fail', '--run-subtest', 'fail-on')
check('st_fail --run-subtest of a failing subtest exits 98', rc == 98, diag_of(rc, out, err))

# ---- st_skip: skips ----
rc, out, err = run('st_skip')
d = diag_of(rc, out, err)
check('st_skip exits 77', rc == 77, d)
check('st_skip all SKIP', set(subtest_results(out).values()) == {'SKIP'} and
      len(subtest_results(out)) == 5, d)
check('st_skip requirement messages on stdout',
      re.search(r'^Test requirement not met in function \S+, file \S*st_skip\.c:\d+:\n'
                r'Test requirement: 1 == 2\n', out, re.M) and
      'Test requirement: false\nneeds unicorns\n' in out and
      'Test requirement: !(true)\nskip on purpose\n' in out and
      'Test requirement: -1 >= 0\nfile descriptor -1 failed\n' in out and
      'explicit skip\n' in out, d)
check('st_skip stderr holds only sentinel lines', only_sentinels(err), d)

# ---- st_fixture: fixture skip/failure scoped to the group ----
rc, out, err = run('st_fixture')
d = diag_of(rc, out, err)
check('st_fixture exits 98', rc == 98, d)
check('st_fixture results',
      subtest_results(out) == {'group-skip-a': 'SKIP', 'group-skip-b': 'SKIP',
                               'after-skip-group': 'SUCCESS', 'group-fail-a': 'FAIL',
                               'after-fail-group': 'SUCCESS', 'after-top-skip': 'SKIP'}, d)
check('st_fixture does not start subtests behind a failed fixture',
      started(out) == ['after-skip-group', 'after-fail-group'], d)
check('st_fixture reports fixture messages',
      'fixture requirement\n' in out and 'CRITICAL: fixture failure' in err and
      'top-level fixture skip\n' in out, d)
rc, out, err = run('st_fixture', '--list-subtests')
check('st_fixture --list-subtests skips fixtures',
      rc == 0 and len(lines(out)) == 6 and err == '', diag_of(rc, out, err))
# Fixtures run whatever the selection, so the failing one still makes it 98.
rc, out, err = run('st_fixture', '--run-subtest', 'after-skip-group')
check('st_fixture: group fixture skip does not leak out of the group',
      rc == 98 and subtest_results(out) == {'after-skip-group': 'SUCCESS'} and
      'CRITICAL: fixture failure' in err, diag_of(rc, out, err))
rc, out, err = run('st_fixture', '--run-subtest', 'group-skip-a')
check('st_fixture: subtest behind a skipping fixture skips',
      rc == 98 and subtest_results(out) == {'group-skip-a': 'SKIP'}, diag_of(rc, out, err))
rc, out, err = run('st_fixture', '--run-subtest', 'group-fail-a')
check('st_fixture: subtest behind a failing fixture exits 98',
      rc == 98 and subtest_results(out) == {'group-fail-a': 'FAIL'}, diag_of(rc, out, err))

# ---- st_dynamic ----
rc, out, err = run('st_dynamic')
d = diag_of(rc, out, err)
check('st_dynamic exits 98', rc == 98, d)
check('st_dynamic container results',
      subtest_results(out) == {'dyn-pass': 'SUCCESS', 'dyn-fail': 'FAIL', 'dyn-none': 'SKIP',
                               'dyn-skip': 'SUCCESS', 'dyn-require': 'SKIP'}, d)
check('st_dynamic dynamic results',
      subtest_results(out, dynamic=True) == {
          'item-0': 'SUCCESS', 'item-1': 'SUCCESS', 'item-2': 'SUCCESS', 'good': 'SUCCESS',
          'bad': 'FAIL', 'after-bad': 'SUCCESS', 'skipped': 'SKIP', 'passed': 'SUCCESS'}, d)
check('st_dynamic sentinels on stderr', sentinels(out) == sentinels(err), d)
check('st_dynamic empty container skips', 'No dynamic tests executed.\n' in out, d)
rc, out, err = run('st_dynamic', '--list-subtests')
check('st_dynamic --list-subtests lists containers only',
      rc == 0 and lines(out) == ['dyn-pass', 'dyn-fail', 'dyn-none', 'dyn-skip', 'dyn-require'],
      diag_of(rc, out, err))
rc, out, err = run('st_dynamic', '--run-subtest', 'dyn-pass', '--dynamic-subtest', 'item-1')
check('st_dynamic --dynamic-subtest selects one',
      rc == 0 and started(out, dynamic=True) == ['item-1'], diag_of(rc, out, err))
rc, out, err = run('st_dynamic', '--run-subtest', 'dyn-pass@item-2')
check('st_dynamic --run-subtest parent@dynamic selects one',
      rc == 0 and started(out) == ['dyn-pass'] and started(out, dynamic=True) == ['item-2'],
      diag_of(rc, out, err))
rc, out, err = run('st_dynamic', '--run-subtest', 'dyn-fail@good')
check('st_dynamic passing dynamic of a failing container exits 0',
      rc == 0 and subtest_results(out) == {'dyn-fail': 'SUCCESS'}, diag_of(rc, out, err))
rc, out, err = run('st_dynamic', '--run-subtest', 'dyn-fail@bad')
check('st_dynamic failing dynamic exits 98',
      rc == 98 and subtest_results(out, dynamic=True) == {'bad': 'FAIL'}, diag_of(rc, out, err))
rc, out, err = run('st_dynamic', '--run-subtest', 'dyn-pass', '--dynamic-subtest', 'zzz')
check('st_dynamic no matching dynamic subtest skips the container',
      rc == 77 and subtest_results(out) == {'dyn-pass': 'SKIP'}, diag_of(rc, out, err))

# ---- st_invalid_name ----
rc, out, err = run('st_invalid_name')
check('st_invalid_name aborts',
      rc == -signal.SIGABRT and 'CRITICAL: Invalid subtest name "invalid name".' in err and
      subtest_results(out) == {'valid-name': 'SUCCESS'}, diag_of(rc, out, err))
rc, out, err = run('st_invalid_name', '--list-subtests')
check('st_invalid_name aborts while listing',
      rc == -signal.SIGABRT and lines(out) == ['valid-name'] and
      'Invalid subtest name "invalid name".' in err, diag_of(rc, out, err))

# ---- st_simple: igt_simple_main ----
for mode, code, word in [('pass', 0, 'SUCCESS'), ('fail', 98, 'FAIL'), ('skip', 77, 'SKIP')]:
    rc, out, err = run('st_simple', env={'ST_SIMPLE_MODE': mode})
    check('st_simple %s exits %d with "%s (…s)"' % (mode, code, word),
          rc == code and re.match(r'^%s \(\d+\.\d{3}s\)$' % word, lines(out)[-1]) and
          'Starting subtest' not in out, diag_of(rc, out, err))
rc, out, err = run('st_simple', '--list-subtests')
check('st_simple --list-subtests exits 79', rc == 79 and out == '', diag_of(rc, out, err))
rc, out, err = run('st_simple', '--run-subtest', 'x')
check('st_simple --run-subtest exits 79', rc == 79 and 'Unknown subtest: x' in err,
      diag_of(rc, out, err))
rc, out, err = run('st_simple', '--show-testlist')
check('st_simple --show-testlist', rc == 0 and out == 'igt@st_simple\n', diag_of(rc, out, err))

# ---- st_new_spelling: int igt_main(), igt_fixture(), igt_subtest_group() ----
rc, out, err = run('st_new_spelling')
check('st_new_spelling builds and passes',
      rc == 0 and subtest_results(out) == {'new-spelling': 'SUCCESS'}, diag_of(rc, out, err))
rc, out, err = run('st_new_spelling', '--list-subtests')
check('st_new_spelling --list-subtests', rc == 0 and out == 'new-spelling\n',
      diag_of(rc, out, err))

# ---- st_args: igt_main_args ----
rc, out, err = run('st_args', '--value', '5')
check('st_args extra long option reaches the handler',
      rc == 0 and subtest_results(out) == {'value-is-five': 'SUCCESS'}, diag_of(rc, out, err))
rc, out, err = run('st_args', '-v', '5', '--run-subtest', 'value-is-five')
check('st_args extra short option mixes with standard options',
      rc == 0 and subtest_results(out) == {'value-is-five': 'SUCCESS'}, diag_of(rc, out, err))
rc, out, err = run('st_args', '--value', '4')
check('st_args without the right value fails', rc == 98, diag_of(rc, out, err))
rc, out, err = run('st_args', '--value', '-3')
check('st_args handler error exits 79', rc == 79, diag_of(rc, out, err))
rc, out, err = run('st_args', '--help')
check('st_args --help includes the extra help', rc == 0 and
      '  --value <n>\tA non-negative number\n' in out, diag_of(rc, out, err))

# ---- st_fork ----
rc, out, err = run('st_fork')
d = diag_of(rc, out, err)
check('st_fork exits 98', rc == 98, d)
check('st_fork results',
      subtest_results(out) == {'fork-pass': 'SUCCESS', 'fork-fail': 'FAIL',
                               'fork-signal': 'FAIL', 'fork-timeout': 'FAIL',
                               'helper': 'SUCCESS', 'children-reaped': 'SUCCESS'}, d)
check('st_fork reports child failures',
      'child 1 failed with exit status 98' in out and 'CRITICAL: child 1 fails' in err and
      'child 0 died with signal 9, Killed' in out and 'Timed out waiting for children' in out, d)
check('st_fork exit handler runs once, in the parent', out.count('exit handler ran (sig 0)') == 1,
      d)

# ---- st_drm: drmtest and ioctl wrappers ----
have_dri = any(os.path.exists('/dev/dri/card%d' % i) for i in range(16))
rc, out, err = run('st_drm')
d = diag_of(rc, out, err)
expect = {'ioctl-err': 'SUCCESS', 'ioctl-override': 'SUCCESS', 'reopen': 'SUCCESS',
          'close-invalid': 'SUCCESS'}
if not have_dri:
    expect.update({'no-device': 'SKIP', 'no-device-raw': 'SUCCESS'})
check('st_drm exits 0', rc == 0, d)
check('st_drm results', {k: v for k, v in subtest_results(out).items() if k in expect} == expect,
      d)
check('st_drm drm_close_driver warns on a non-DRM fd',
      re.search(r"WARNING: Don't attempt to close standard/invalid file descriptor: \d+$", err,
                re.M), d)
if not have_dri:
    check('st_drm skip message without a device',
          'No known gpu found for chipset flags 0x2048 (panthor)\n' in out, d)

# ---- TAP ----
for i, (name, ok, diag) in enumerate(RESULTS, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for line in diag.splitlines():
            print('# ' + line)
print('1..%d' % len(RESULTS))
sys.exit(0)
