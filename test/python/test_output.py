"""The JSON Lines file: where it goes, what the meta record holds, and that a crash leaves every complete line valid."""
import os
import signal
import subprocess
import sys
import time
import unittest
from unittest import mock

import torch
from torch import nn

import gradscope
from helpers import RunTestCase, parse_line, read_run

PYTHON_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'python')


def read_text(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


def tiny():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 5), nn.Sigmoid(), nn.Linear(5, 1))


def one_run(model, log_dir, name, steps=4, every=1):
    w = gradscope.watch(model, every=every, log_dir=log_dir, name=name)
    for _ in range(steps):
        loss = model(torch.randn(4, 3)).pow(2).mean()
        loss.backward()
        w.step(loss)
    w.close()
    return w


class Records(RunTestCase):
    def test_meta_record(self):
        w = one_run(tiny(), self.log_dir, 'meta', every=2)
        records = read_run(w.path)
        meta = records[0]
        self.assertEqual(meta['type'], 'meta')
        self.assertEqual(meta['format'], 1)
        self.assertEqual(meta['torch'], torch.__version__)
        self.assertEqual((meta['pid'], meta['rank'], meta['worldSize'], meta['every']), (os.getpid(), 0, 1, 2))
        self.assertRegex(meta['startTime'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$')
        self.assertEqual([(m['name'], m['type']) for m in meta['modules']],
                         [('', 'Sequential'), ('0', 'Linear'), ('1', 'Sigmoid'), ('2', 'Linear')])
        self.assertEqual(meta['modules'][1]['params'], [{'name': 'weight', 'shape': [5, 3]}, {'name': 'bias', 'shape': [5]}])
        self.assertEqual(meta['modules'][2]['activation'],
                         {'name': 'sigmoid', 'params': {}, 'maxSlope': 0.25, 'threshold': 0.0125, 'split': 0.0})
        self.assertEqual([r['type'] for r in records], ['meta', 'snapshot', 'snapshot', 'end'])

    def test_one_line_per_record_written_as_it_happens(self):
        model = tiny()
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='tail')
        for k in range(3):
            model(torch.randn(2, 3)).sum().backward()
            w.step()
            # a reader tailing the file sees each snapshot as soon as step() returns
            lines = read_text(w.path).splitlines()
            self.assertEqual(len(lines), 2 + k)
            self.assertEqual(parse_line(lines[-1])['step'], k)
        w.close()

    def test_log_dir_and_name_defaults(self):
        cwd = os.getcwd()
        os.chdir(self.log_dir)
        self.addCleanup(os.chdir, cwd)
        with mock.patch.dict(os.environ, {'GRADSCOPE_LOG_DIR': ''}), mock.patch.object(sys, 'argv', ['/x/train_net.py']):
            w = gradscope.watch(tiny())
            w.close()
            self.assertEqual(os.path.dirname(w.path), os.path.join(self.log_dir, '.gradscope', 'runs'))
            self.assertRegex(os.path.basename(w.path), r'^train_net-\d{8}-\d{6}\.jsonl$')
            w2 = gradscope.watch(tiny())  # the same second: a new file, not an append
            w2.close()
            self.assertNotEqual(w.path, w2.path)
        env_dir = os.path.join(self.log_dir, 'from-env')
        with mock.patch.dict(os.environ, {'GRADSCOPE_LOG_DIR': env_dir}):
            w = gradscope.watch(tiny(), name='x y/z')
            w.close()
            self.assertEqual(w.path, os.path.join(env_dir, 'x_y_z.jsonl'))
            explicit = os.path.join(self.log_dir, 'explicit')
            w = gradscope.watch(tiny(), log_dir=explicit, name='e')
            w.close()
            self.assertEqual(w.path, os.path.join(explicit, 'e.jsonl'))

    def test_a_folder_it_cannot_write_in_is_named_with_what_to_do(self):
        blocker = os.path.join(self.log_dir, 'a-file')
        with open(blocker, 'w') as f:
            f.write('not a folder')
        os.mkdir(os.path.join(self.log_dir, 'taken.jsonl'))  # the run's file name is a folder
        for log_dir, name, error in ((os.path.join(blocker, 'runs'), 'r', (NotADirectoryError, FileExistsError)),
                                     (self.log_dir, 'taken', IsADirectoryError)):
            model = tiny()
            with self.assertRaises(error) as caught:
                gradscope.watch(model, log_dir=log_dir, name=name)
            message = str(caught.exception)
            self.assertIn(f'cannot write its run file in {log_dir}', message)
            self.assertIn('GRADSCOPE_LOG_DIR', message)
            self.assert_no_hooks(model)

    def test_a_notebook_run_is_named_after_the_notebook(self):
        import types
        cwd = os.getcwd()
        os.chdir(self.log_dir)
        self.addCleanup(os.chdir, cwd)
        kernel = ['/usr/lib/python3/dist-packages/ipykernel_launcher.py', '-f', '/tmp/kernel-1.json']
        shell = types.SimpleNamespace(user_ns={'__vsc_ipynb_file__': '/work/notes/Vanishing gradients.ipynb'})
        ipython = types.SimpleNamespace(get_ipython=lambda: shell)
        with mock.patch.dict(os.environ, {'GRADSCOPE_LOG_DIR': ''}), mock.patch.object(sys, 'argv', kernel):
            with mock.patch.dict(sys.modules, {'IPython': ipython}):
                w = gradscope.watch(tiny())
                w.close()
                self.assertRegex(os.path.basename(w.path), r'^Vanishing_gradients-\d{8}-\d{6}\.jsonl$')
                shell.user_ns = {'__session__': '/work/notes/lab.ipynb'}  # JupyterLab
                w = gradscope.watch(tiny())
                w.close()
                self.assertRegex(os.path.basename(w.path), r'^lab-\d{8}-\d{6}\.jsonl$')
                shell.user_ns = {}
                w = gradscope.watch(tiny())
                w.close()
                self.assertRegex(os.path.basename(w.path), r'^notebook-\d{8}-\d{6}\.jsonl$')

    def test_other_ranks_write_nothing_by_default(self):
        with mock.patch.dict(os.environ, {'RANK': '1', 'WORLD_SIZE': '2'}):
            model = tiny()
            w = one_run(model, self.log_dir, 'rank1')
            self.assertIsNone(w.path)
            self.assert_no_hooks(model)
            w = one_run(tiny(), self.log_dir, 'rank1-asked', steps=1)
            self.assertIsNone(w.path)
            w = gradscope.watch(tiny(), log_dir=self.log_dir, name='r', ranks='all')
            w.close()
            self.assertTrue(w.path.endswith('r.rank1.jsonl'))
        self.assertEqual(sorted(os.listdir(self.log_dir)), ['r.rank1.jsonl'])


class Printing(RunTestCase):
    def test_repr_says_where_it_writes_and_how_far_it_is(self):
        model = tiny()
        w = gradscope.watch(model, every=2, log_dir=self.log_dir, name='shown')
        model(torch.randn(4, 3)).sum().backward()
        w.step(1.0)
        self.assertEqual(repr(w), f'<gradscope.Watcher watching every=2 steps=1 → {self.run_path("shown")}>')
        w.close()
        self.assertTrue(repr(w).startswith('<gradscope.Watcher closed every=2 steps=1 → '))


class CrashSafety(RunTestCase):
    def test_a_truncated_file_keeps_every_complete_line_valid(self):
        w = one_run(tiny(), self.log_dir, 'whole', steps=6)
        data = read_bytes(w.path)
        complete = data.count(b'\n')
        self.assertEqual(complete, 8)
        for cut in range(0, len(data), max(1, len(data) // 400)):
            part = data[:cut].decode('utf-8', errors='strict')
            lines = part.split('\n')
            for line in lines[:-1]:  # everything before the last newline is whole records
                parse_line(line)
            whole = data.decode('utf-8').split('\n')[len(lines) - 1]
            if lines[-1] and lines[-1] != whole:  # a torn tail is not a record (cut right before '\n': it is whole)
                with self.assertRaises(ValueError):
                    parse_line(lines[-1])

    def test_a_new_run_after_a_torn_line_starts_on_its_own_line(self):
        path = self.run_path('torn')
        with open(path, 'w', encoding='utf-8') as f:
            f.write('{"type":"meta","format":1}\n{"type":"snapsh')
        one_run(tiny(), self.log_dir, 'torn', steps=1)
        lines = read_text(path).split('\n')
        self.assertEqual(lines[1], '{"type":"snapsh')
        self.assertEqual(parse_line(lines[2])['type'], 'meta')
        self.assertEqual(lines[-1], '')
        for line in lines[2:-1]:
            parse_line(line)

    def test_killed_mid_run(self):
        script = (
            'import torch, gradscope, sys\n'
            'from torch import nn\n'
            'm = nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 1))\n'
            'w = gradscope.watch(m, every=1, log_dir=sys.argv[1], name="killed")\n'
            'print("ready", flush=True)\n'
            'while True:\n'
            '    m(torch.randn(32, 3)).sum().backward()\n'
            '    w.step()\n')
        env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
        proc = subprocess.Popen([sys.executable, '-c', script, self.log_dir], stdout=subprocess.PIPE, env=env)
        self.assertEqual(proc.stdout.readline().strip(), b'ready')
        path = self.run_path('killed')
        deadline = time.time() + 30
        while time.time() < deadline and (not os.path.exists(path) or os.path.getsize(path) < 200_000):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        text = read_text(path)
        lines = text.split('\n')
        records = [parse_line(line) for line in lines[:-1]]
        self.assertGreater(len(records), 5)
        self.assertEqual(records[0]['type'], 'meta')
        self.assertEqual([r['step'] for r in records[1:]], list(range(len(records) - 1)))
        self.assertNotIn('end', [r['type'] for r in records])


if __name__ == '__main__':
    unittest.main()
