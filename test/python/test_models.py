"""Any nn.Module logs: shared modules, CNNs, LSTMs, embeddings, attention, normalisation, reparametrized weights,
TorchScript parts, wrappers, DDP."""
import os
import socket
import tempfile
import unittest

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

import gradscope
from gradscope.stats import DISTRIBUTION_SAMPLE_LIMIT
from helpers import RunTestCase, read_run


def train_steps(model, make_input, w, steps, loss_of=lambda out: out.float().pow(2).mean()):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(steps):
        out = model(make_input())
        loss = loss_of(out)
        opt.zero_grad()
        loss.backward()
        w.step(loss)
        opt.step()


class Models(RunTestCase):
    def test_a_shared_module_is_reported_once(self):
        torch.manual_seed(0)
        shared = nn.Linear(8, 8)
        act = nn.Tanh()
        model = nn.Sequential(nn.Linear(4, 8), act, shared, act, shared, nn.Sequential(nn.Linear(8, 2)))
        w = gradscope.watch(model, every=2, log_dir=self.log_dir, name='shared')
        train_steps(model, lambda: torch.randn(6, 4), w, 3)
        w.close()
        meta = read_run(self.run_path('shared'))[0]
        self.assertEqual([m['name'] for m in meta['modules']], ['', '0', '1', '2', '5', '5.0'])
        self.assertEqual(meta['modules'][3]['params'], [{'name': 'weight', 'shape': [8, 8]}, {'name': 'bias', 'shape': [8]}])
        for s in self.snapshots('shared'):
            self.assertEqual([l['name'] for l in s['layers']], ['0', '2', '5.0'])
            (tanh,) = s['activations']
            self.assertEqual(tanh['calls'], 2)
        self.assertEqual(self.snapshots('shared')[-1]['layers'][1]['gradNorm'], shared.weight.grad.norm().item())
        self.assert_no_hooks(model)

    def test_tied_weights_in_two_modules(self):
        emb = nn.Embedding(20, 6)
        head = nn.Linear(6, 20, bias=False)
        head.weight = emb.weight
        model = nn.Sequential(emb, nn.ReLU(), head)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='tied')
        train_steps(model, lambda: torch.randint(0, 20, (4, 3)), w, 2)
        w.close()
        s = self.snapshots('tied')[-1]
        self.assertEqual([l['type'] for l in s['layers']], ['Embedding', 'Linear'])
        self.assertEqual(s['layers'][0]['gradNorm'], s['layers'][1]['gradNorm'])
        self.assertIsNotNone(s['layers'][0]['updateRatio'])
        self.assertIsNone(s['layers'][0]['biasGradNorm'])

    def test_cnn(self):
        torch.manual_seed(0)
        model = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(16, 10), nn.LogSoftmax(dim=1))
        w = gradscope.watch(model, every=3, log_dir=self.log_dir, name='cnn')
        y = torch.randint(0, 10, (8,))
        train_steps(model, lambda: torch.randn(8, 3, 12, 12), w, 4, loss_of=lambda out: nn.functional.nll_loss(out, y))
        w.close()
        snaps = self.snapshots('cnn')
        self.assertEqual([s['step'] for s in snaps], [0, 3])
        s = snaps[-1]
        self.assertEqual([(l['name'], l['type']) for l in s['layers']],
                         [('0', 'Conv2d'), ('1', 'BatchNorm2d'), ('4', 'Conv2d'), ('8', 'Linear')])
        self.assertEqual(s['layers'][2]['gradNorm'], model[4].weight.grad.norm().item())
        self.assertEqual([(a['name'], a['activation'], a['units'], a['elements']) for a in s['activations']],
                         [('2', 'relu', 8, 8 * 8 * 12 * 12), ('5', 'gelu', 16, 8 * 16 * 6 * 6)])
        for a in s['activations']:
            self.assertEqual(sum(a['z']['histogram']['counts']), min(a['elements'], DISTRIBUTION_SAMPLE_LIMIT))

    def test_lstm_and_conv1d_and_conv3d(self):
        torch.manual_seed(0)

        class Seq(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(5, 7, num_layers=2, batch_first=True)
                self.act = nn.Sigmoid()
                self.conv = nn.Conv1d(7, 3, 2)
                self.conv3 = nn.Conv3d(1, 2, 2)
                self.out = nn.Linear(3, 1)

            def forward(self, x):
                h, _ = self.lstm(x)                       # (N, L, 7)
                c = self.conv(self.act(h).transpose(1, 2))  # (N, 3, L - 1)
                v = self.conv3(c.unsqueeze(1).unsqueeze(-1).expand(-1, -1, -1, -1, 2))
                return self.out(c.mean(dim=2)) + v.mean()

        model = Seq()
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='lstm')
        train_steps(model, lambda: torch.randn(4, 6, 5), w, 2)
        w.close()
        s = self.snapshots('lstm')[-1]
        lstm = s['layers'][0]
        self.assertEqual((lstm['name'], lstm['type'], lstm['param']), ('lstm', 'LSTM', 'weight_ih_l0'))
        self.assertEqual(lstm['gradNorm'], model.lstm.weight_ih_l0.grad.norm().item())
        self.assertIsNone(lstm['biasGradNorm'])  # an LSTM's biases are bias_ih_l0 …, not "bias"
        self.assertEqual([l['type'] for l in s['layers']], ['LSTM', 'Conv1d', 'Conv3d', 'Linear'])
        (act,) = s['activations']
        self.assertEqual((act['units'], act['elements']), (7, 4 * 6 * 7))  # after the LSTM: its 7 features

    def test_transformer_pieces(self):
        torch.manual_seed(0)

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(30, 16, sparse=True)
                self.attn = nn.MultiheadAttention(16, 4, batch_first=True)
                self.norm = nn.LayerNorm(16)
                self.mlp = nn.Sequential(nn.Linear(16, 32), nn.GELU(approximate='tanh'), nn.Linear(32, 16))
                self.plain_norm = nn.LayerNorm(16, elementwise_affine=False)
                self.head = nn.Linear(16, 30)

            def forward(self, tokens):
                x = self.emb(tokens)
                a, _ = self.attn(x, x, x)
                x = self.norm(x + a)
                x = self.plain_norm(x + self.mlp(x))
                return self.head(x)

        model = Block()
        w = gradscope.watch(model, every=2, log_dir=self.log_dir, name='attn')
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        for _ in range(3):
            tokens = torch.randint(0, 30, (2, 5))
            loss = nn.functional.cross_entropy(model(tokens).reshape(-1, 30), tokens.reshape(-1))
            opt.zero_grad()
            loss.backward()
            w.step(loss)
            opt.step()
        w.close()
        s = self.snapshots('attn')[-1]
        names = [(l['name'], l['type'], l['param']) for l in s['layers']]
        self.assertEqual(names, [
            ('emb', 'Embedding', 'weight'), ('attn', 'MultiheadAttention', 'in_proj_weight'),
            ('attn.out_proj', 'NonDynamicallyQuantizableLinear', 'weight'), ('norm', 'LayerNorm', 'weight'),
            ('mlp.0', 'Linear', 'weight'), ('mlp.2', 'Linear', 'weight'), ('head', 'Linear', 'weight')])
        emb = s['layers'][0]
        dense = model.emb.weight.grad.to_dense()
        self.assertAlmostEqual(emb['gradNorm'], dense.norm().item(), places=6)
        self.assertAlmostEqual(emb['gradMeanAbs'], dense.abs().mean().item(), places=9)
        self.assertEqual(emb['gradMaxAbs'], dense.abs().max().item())
        self.assertEqual(s['layers'][1]['gradNorm'], model.attn.in_proj_weight.grad.norm().item())
        (gelu,) = s['activations']
        self.assertEqual((gelu['activation'], gelu['units'], gelu['elements']), ('gelu_tanh', 32, 2 * 5 * 32))

    def test_reparametrized_weights_are_measured_by_their_originals(self):
        # torch.nn.utils.parametrizations.spectral_norm (GANs), nn.utils.weight_norm (HiFi-GAN, WaveNet): the
        # forward pass uses a weight computed from other parameters, which hold the gradient
        from torch.nn.utils import parametrizations

        def make():
            torch.manual_seed(0)
            return nn.Sequential(nn.Linear(6, 12), nn.ReLU(), parametrizations.spectral_norm(nn.Linear(12, 12)), nn.Tanh(),
                                 nn.utils.weight_norm(nn.Linear(12, 12)), nn.Tanh(), nn.Linear(12, 1))
        model, twin = make(), make()
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='reparam')
        expected = []
        data = [torch.randn(5, 6) for _ in range(3)]
        opt = torch.optim.SGD(model.parameters(), lr=0.05)
        for x in data:
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            expected.append((model[2].parametrizations.weight.original.grad.norm().item(), model[4].weight_v.grad.norm().item(),
                             torch.linalg.matrix_norm(model[4].weight.detach(), 2).item()))
            w.step()
            opt.step()
        w.close()
        meta = read_run(self.run_path('reparam'))[0]
        params = {m['name']: [p['name'] for p in m['params']] for m in meta['modules']}
        self.assertEqual(params['2'], ['weight', 'bias'])
        self.assertEqual(params['2.parametrizations.weight'], [], 'the originals are listed once, on their module')
        self.assertEqual(params['4'], ['bias', 'weight_g', 'weight_v'])
        snaps = self.snapshots('reparam')
        self.assertEqual(len(snaps), 3)
        for s, (g2, g4, sigma4) in zip(snaps, expected):
            layers = {l['name']: l for l in s['layers']}
            self.assertEqual(sorted(layers), ['0', '2', '4', '6'])
            self.assertEqual((layers['2']['param'], layers['2']['gradNorm']), ('weight', g2))
            self.assertEqual((layers['4']['param'], layers['4']['gradNorm']), ('weight_v', g4))
            # ‖W‖₂ of the weight the forward pass used (weight_norm's module.weight); none for a parametrize tensor,
            # whose every read computes it (and advances spectral_norm's power iteration), though fed by an activation
            self.assertAlmostEqual(layers['4']['spectralNorm'], sigma4, places=5)
            self.assertNotIn('spectralNorm', layers['2'])
            self.assertIn('spectralNorm', layers['6'])
        # watching did not touch the training: the same steps without it give the same weights and power-iteration state
        opt = torch.optim.SGD(twin.parameters(), lr=0.05)
        for x in data:
            opt.zero_grad()
            twin(x).pow(2).mean().backward()
            opt.step()
        for (name, a), (_, b) in zip(model.state_dict().items(), twin.state_dict().items()):
            self.assertTrue(torch.equal(a, b), name)

    def test_torchscript_is_refused_before_any_file_and_a_scripted_part_is_measured_without_hooks(self):
        scripted = torch.jit.script(nn.Sequential(nn.Linear(2, 3), nn.ReLU()))
        with self.assertRaisesRegex(TypeError, 'TorchScript'):
            gradscope.watch(scripted, every=1, log_dir=self.log_dir, name='script')
        self.assertFalse(os.path.exists(self.run_path('script')))
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), torch.jit.script(nn.Sequential(nn.Linear(8, 8), nn.ReLU())), nn.Linear(8, 1))
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='mixed')
        model(torch.randn(3, 4)).sum().backward()
        w.step()
        w.close()
        (s,) = self.snapshots('mixed')
        self.assertEqual([(l['name'], l['type']) for l in s['layers']], [('0', 'Linear'), ('1.0', 'Linear'), ('2', 'Linear')])
        self.assertEqual(s['layers'][1]['gradNorm'], model[1][0].weight.grad.norm().item())
        self.assertEqual(s['activations'], [])

    def test_a_lazy_module_gives_its_shape_in_its_first_snapshot(self):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # "Lazy modules are a new feature under heavy development"
            model = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.Linear(8, 1))
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='lazy')
        train_steps(model, lambda: torch.randn(4, 5), w, 2)
        w.close()
        meta = read_run(self.run_path('lazy'))[0]
        self.assertEqual([(m['name'], m['type'], [p['shape'] for p in m['params']]) for m in meta['modules']][1],
                         ('0', 'LazyLinear', [None, None]))
        first, second = self.snapshots('lazy')
        self.assertEqual((first['layers'][0]['type'], first['layers'][0]['shape']), ('Linear', [8, 5]))
        self.assertNotIn('shape', first['layers'][1], 'a shape known from the meta record is not repeated')
        self.assertNotIn('shape', second['layers'][0], 'given once')

    def test_data_parallel_wrapper_is_unwrapped(self):
        inner = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
        model = nn.DataParallel(inner)  # without CUDA it runs the module itself
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='dp')
        train_steps(model, lambda: torch.randn(5, 3), w, 1)
        w.close()
        meta = read_run(self.run_path('dp'))[0]
        self.assertEqual(meta['model'], 'Sequential')
        self.assertEqual([l['name'] for l in self.snapshots('dp')[0]['layers']], ['0', '2'])

    @unittest.skipUnless(torch.cuda.is_available(), 'no CUDA device')
    def test_cuda(self):
        model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1)).cuda()
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='cuda')
        train_steps(model, lambda: torch.randn(5, 3, device='cuda'), w, 2)
        w.close()
        s = self.snapshots('cuda')[-1]
        self.assertEqual(s['layers'][0]['gradNorm'], model[0].weight.grad.norm().item())


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _ddp_worker(rank, world, port, log_dir, ranks):
    os.environ['GRADSCOPE_DEBUG'] = '1'
    torch.set_num_threads(1)
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=world)
    try:
        torch.manual_seed(0)
        model = nn.parallel.DistributedDataParallel(nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)))
        w = gradscope.watch(model, every=2, log_dir=log_dir, ranks=ranks)
        torch.manual_seed(rank)
        for _ in range(3):
            loss = model(torch.randn(4, 3)).pow(2).mean()
            loss.backward()
            w.step(loss)
        w.close()
    finally:
        dist.destroy_process_group()


class Distributed(RunTestCase):
    def run_ddp(self, ranks):
        log_dir = tempfile.mkdtemp(dir=self.log_dir)
        mp.spawn(_ddp_worker, args=(2, _free_port(), log_dir, ranks), nprocs=2, join=True)
        return log_dir, sorted(os.listdir(log_dir))

    def test_ddp_only_rank_0_writes_and_all_ranks_on_request(self):
        log_dir, files = self.run_ddp(0)
        self.assertEqual(len(files), 1)
        meta = read_run(os.path.join(log_dir, files[0]))[0]
        self.assertEqual((meta['rank'], meta['worldSize'], meta['model']), (0, 2, 'Sequential'))
        log_dir, files = self.run_ddp('all')
        self.assertEqual(len(files), 2)
        stems = [f.rsplit('.rank', 1) for f in files]
        self.assertEqual(stems[0][0], stems[1][0])  # one shared name (rank 0's clock), then the rank
        self.assertEqual([s[1] for s in stems], ['0.jsonl', '1.jsonl'])
        for rank, f in enumerate(files):
            records = read_run(os.path.join(log_dir, f))
            self.assertEqual(records[0]['rank'], rank)
            self.assertEqual([r['step'] for r in records if r['type'] == 'snapshot'], [0, 2])


if __name__ == '__main__':
    unittest.main()
