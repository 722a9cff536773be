#!/usr/bin/env python3
"""Writes the PyTorch reference table that search-space's count tests compare against.

Parameter and FLOP counts come from real torch modules: NAS-Bench-201 networks from the shared
torch reference script (its `network` function), DARTS networks and single operations from the
modules below, which follow the DARTS and NAS-Bench-201 definitions. FLOPs are multiply-accumulates
of Conv2d and Linear layers (bias included), per image, counted by forward hooks.

  python3 tests/tools/reference_counts.py --reference PATH/TO/torch_reference.py \
      > search-space/src/test/resources/org/cellforge/space/reference-counts.tsv
"""
import argparse
import importlib.util
import random

import torch
import torch.nn as nn
import torch.nn.functional as F


def load_reference(path):
    spec = importlib.util.spec_from_file_location("torch_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def count(model, shape):
    params = sum(p.numel() for p in model.parameters())
    macs = [0]

    def conv_hook(m, inputs, out):
        per_pixel = m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
        macs[0] += out[0].numel() * per_pixel + (out[0].numel() if m.bias is not None else 0)

    def linear_hook(m, inputs, out):
        macs[0] += m.in_features * m.out_features + (m.out_features if m.bias is not None else 0)

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    model.eval()
    with torch.no_grad():
        model(*[torch.zeros(1, *s) for s in shape])
    for h in hooks:
        h.remove()
    return params, macs[0]


# ---- operations (DARTS operations.py and NAS-Bench-201 cell_operations.py) ----

class ReLUConvBN(nn.Sequential):
    def __init__(self, cin, cout, k, stride, dilation=1):
        super().__init__(nn.ReLU(), nn.Conv2d(cin, cout, k, stride, dilation * (k - 1) // 2, dilation, bias=False),
                         nn.BatchNorm2d(cout))


class SepConv(nn.Sequential):
    def __init__(self, cin, cout, k, stride):
        p = (k - 1) // 2
        super().__init__(nn.ReLU(), nn.Conv2d(cin, cin, k, stride, p, groups=cin, bias=False),
                         nn.Conv2d(cin, cin, 1, bias=False), nn.BatchNorm2d(cin), nn.ReLU(),
                         nn.Conv2d(cin, cin, k, 1, p, groups=cin, bias=False),
                         nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


class DilConv(nn.Sequential):
    def __init__(self, cin, cout, k, stride, dilation):
        super().__init__(nn.ReLU(), nn.Conv2d(cin, cin, k, stride, dilation * (k - 1) // 2, dilation, groups=cin,
                                              bias=False),
                         nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


class FactorizedReduce(nn.Module):
    """NAS-Bench-201's version: pads so that odd sizes work; equal to DARTS's on even sizes."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        self.relu = nn.ReLU()
        if stride == 2:
            self.convs = nn.ModuleList([nn.Conv2d(cin, cout // 2, 1, 2, bias=False),
                                        nn.Conv2d(cin, cout - cout // 2, 1, 2, bias=False)])
        else:
            self.conv = nn.Conv2d(cin, cout, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = self.relu(x)
        if self.stride == 2:
            y = F.pad(x, (0, 1, 0, 1))
            out = torch.cat([self.convs[0](x), self.convs[1](y[:, :, 1:, 1:])], dim=1)
        else:
            out = self.conv(x)
        return self.bn(out)


class Zero(nn.Module):
    def __init__(self, cout, stride):
        super().__init__()
        self.cout, self.stride = cout, stride

    def forward(self, x):
        x = x[:, :, ::self.stride, ::self.stride]
        return x.new_zeros(x.shape[0], self.cout, x.shape[2], x.shape[3])


class Pool(nn.Module):
    def __init__(self, kind, cin, cout, k, stride):
        super().__init__()
        self.pre = ReLUConvBN(cin, cout, 1, 1) if cin != cout else nn.Identity()
        self.pool = (nn.AvgPool2d(k, stride, (k - 1) // 2, count_include_pad=False) if kind == "avg"
                     else nn.MaxPool2d(k, stride, (k - 1) // 2))

    def forward(self, x):
        return self.pool(self.pre(x))


class SqueezeExcite(nn.Module):
    def __init__(self, cin, cout, stride, reduction):
        super().__init__()
        self.pre = FactorizedReduce(cin, cout, stride) if (cin != cout or stride != 1) else nn.Identity()
        hidden = max(1, cout // reduction)
        self.fc1, self.fc2 = nn.Linear(cout, hidden), nn.Linear(hidden, cout)

    def forward(self, x):
        x = self.pre(x)
        g = torch.sigmoid(self.fc2(torch.relu(self.fc1(x.mean((2, 3))))))
        return x * g[:, :, None, None]


def make_op(name, cin, cout, stride):
    if name == "none":
        return Zero(cout, stride)
    if name == "skip_connect":
        return nn.Identity() if (stride == 1 and cin == cout) else FactorizedReduce(cin, cout, stride)
    if name.startswith("nor_conv_"):
        return ReLUConvBN(cin, cout, int(name[-1]), stride)
    if name.startswith("avg_pool_") or name.startswith("max_pool_"):
        return Pool(name[:3], cin, cout, int(name[-1]), stride)
    if name.startswith("sep_conv_"):
        return SepConv(cin, cout, int(name[-1]), stride)
    if name.startswith("dil_conv_"):
        return DilConv(cin, cout, int(name[-1]), stride, 2)
    if name == "squeeze_excite":
        return SqueezeExcite(cin, cout, stride, 4)
    raise KeyError(name)


# ---- the DARTS evaluation network (model.py NetworkCIFAR, no auxiliary head) ----

class DartsCell(nn.Module):
    def __init__(self, edges, concat, cpp, cp, c, reduction, reduction_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(cpp, c, 2) if reduction_prev else ReLUConvBN(cpp, c, 1, 1)
        self.pre1 = ReLUConvBN(cp, c, 1, 1)
        self.edges, self.concat = edges, concat
        self.ops = nn.ModuleList(make_op(op, c, c, 2 if reduction and i < 2 else 1) for op, i in edges)

    def forward(self, s0, s1):
        states = [self.pre0(s0), self.pre1(s1)]
        for n in range(len(self.edges) // 2):
            a, b = self.edges[2 * n], self.edges[2 * n + 1]
            states.append(self.ops[2 * n](states[a[1]]) + self.ops[2 * n + 1](states[b[1]]))
        return torch.cat([states[i] for i in self.concat], dim=1)


class DartsNetwork(nn.Module):
    def __init__(self, genotype, c, layers, cin, classes, stem_multiplier=3):
        super().__init__()
        stem = stem_multiplier * c
        self.stem = nn.Sequential(nn.Conv2d(cin, stem, 3, padding=1, bias=False), nn.BatchNorm2d(stem))
        cpp, cp, cur = stem, stem, c
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                cur *= 2
            edges, concat = (genotype["reduce"], genotype["reduce_concat"]) if reduction else (
                genotype["normal"], genotype["normal_concat"])
            self.cells.append(DartsCell(edges, concat, cpp, cp, cur, reduction, reduction_prev))
            reduction_prev = reduction
            cpp, cp = cp, cur * len(concat)
        self.classifier = nn.Linear(cp, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(F.adaptive_avg_pool2d(s1, 1).flatten(1))


DARTS_OPS = ["max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
             "dil_conv_5x5"]
NB201_OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
DARTS_V2 = {
    "normal": [("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1),
               ("sep_conv_3x3", 1), ("skip_connect", 0), ("skip_connect", 0), ("dil_conv_3x3", 2)],
    "normal_concat": [2, 3, 4, 5],
    "reduce": [("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 1),
               ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("max_pool_3x3", 1)],
    "reduce_concat": [2, 3, 4, 5],
}


def darts_text(g):
    def pairs(es):
        return "[" + ", ".join(f"('{op}', {i})" for op, i in es) + "]"
    return (f"Genotype(normal={pairs(g['normal'])}, normal_concat={g['normal_concat']}, "
            f"reduce={pairs(g['reduce'])}, reduce_concat={g['reduce_concat']})")


def random_darts(rng):
    g = {}
    for cell in ("normal", "reduce"):
        edges = []
        for n in range(4):
            a, b = rng.sample(range(n + 2), 2)
            edges += [(rng.choice(DARTS_OPS), a), (rng.choice(DARTS_OPS), b)]
        g[cell], g[cell + "_concat"] = edges, [2, 3, 4, 5]
    return g


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reference", required=True, help="path of torch_reference.py")
    p.add_argument("--seed", type=int, default=2019)
    a = p.parse_args()
    ref = load_reference(a.reference)
    rng = random.Random(a.seed)
    print("# kind\tarch\tchannels\tdepth\tin\tclasses\tsize\tparams\tflops")
    example = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
    archs = [example] + ["|{}~0|+|{}~0|{}~1|+|{}~0|{}~1|{}~2|".format(*(rng.choice(NB201_OPS) for _ in range(6)))
                         for _ in range(24)]
    for arch in archs:
        for c, n in ((8, 1), (16, 2)):
            params, flops = count(ref.network(arch, c, n, 10), [(1, 28, 28)])
            print(f"nb201\t{arch}\t{c}\t{n}\t1\t10\t28\t{params}\t{flops}")
    genotypes = [DARTS_V2] + [random_darts(rng) for _ in range(8)]
    for g in genotypes:
        params, flops = count(DartsNetwork(g, 16, 8, 1, 10), [(1, 28, 28)])
        print(f"darts\t{darts_text(g)}\t16\t8\t1\t10\t28\t{params}\t{flops}")
    params, flops = count(DartsNetwork(DARTS_V2, 36, 20, 3, 10), [(3, 32, 32)])
    print(f"darts\t{darts_text(DARTS_V2)}\t36\t20\t3\t10\t32\t{params}\t{flops}")
    all_ops = NB201_OPS + ["max_pool_3x3", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5",
                           "squeeze_excite"]
    for op in all_ops:
        for cin, cout, stride, size in ((16, 16, 1, 14), (16, 32, 2, 14), (12, 20, 1, 7), (20, 20, 2, 7)):
            params, flops = count(make_op(op, cin, cout, stride), [(cin, size, size)])
            print(f"op\t{op}\t{cin}\t{cout}\t{stride}\t0\t{size}\t{params}\t{flops}")


if __name__ == "__main__":
    main()
