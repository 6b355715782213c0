"""Shared pieces of the gradscope tests: temporary log folders, reading runs back as a JavaScript reader would."""
import json
import os
import shutil
import tempfile
import unittest

os.environ.setdefault('GRADSCOPE_DEBUG', '1')  # a failing hook raises here instead of warning

import torch  # noqa: E402

torch.set_num_threads(1)


def _no_constants(name):
    raise ValueError(f'{name} is not JSON that JSON.parse accepts')


def parse_line(line):
    """json.loads without Python's NaN/Infinity extension, so a passing line is valid for JSON.parse."""
    return json.loads(line, parse_constant=_no_constants)


def read_run(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    assert text.endswith('\n'), 'every record ends its line'
    return [parse_line(line) for line in text.splitlines()]


class RunTestCase(unittest.TestCase):
    def setUp(self):
        self.log_dir = tempfile.mkdtemp(prefix='gradscope-test-')
        self.addCleanup(shutil.rmtree, self.log_dir, ignore_errors=True)

    def run_path(self, name):
        return os.path.join(self.log_dir, f'{name}.jsonl')

    def snapshots(self, name):
        return [r for r in read_run(self.run_path(name)) if r['type'] == 'snapshot']

    def assert_no_hooks(self, model):
        for n, m in model.named_modules():
            self.assertEqual(len(m._forward_hooks), 0, f'forward hook left on {n!r}')
            self.assertEqual(len(m._forward_pre_hooks), 0, f'forward pre-hook left on {n!r}')
