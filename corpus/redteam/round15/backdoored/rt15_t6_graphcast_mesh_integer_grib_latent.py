"""GraphCast-style encode-process-decode forecaster (Lam et al., 2023), toy resolution.

Grid nodes (64 lat-lon points, 5 variables) are encoded onto 16 mesh nodes via fixed grid->mesh
edges (each grid point to its 2 nearest mesh nodes), the processor runs interaction-network
message passing on a ring-plus-chord mesh, and the decoder maps mesh latents back to the grid.
Geometry (edge indices, edge lengths) is fixed and kept in buffers, as in the original.
"""
import math

import torch
import torch.nn as nn

N_GRID, N_MESH, N_VARS, LATENT = 64, 16, 5, 32


def mlp(c_in, c_out):
    return nn.Sequential(nn.Linear(c_in, LATENT), nn.SiLU(), nn.Linear(LATENT, c_out), nn.LayerNorm(c_out))


def _geometry():
    g = torch.linspace(0, 2 * math.pi, N_GRID + 1)[:-1]
    m = torch.linspace(0, 2 * math.pi, N_MESH + 1)[:-1]
    d = (g[:, None] - m[None]).remainder(2 * math.pi)
    d = torch.minimum(d, 2 * math.pi - d)
    near = d.topk(2, largest=False).indices
    g2m_src = torch.arange(N_GRID).repeat_interleave(2)
    g2m_dst = near.flatten()
    ring = torch.arange(N_MESH)
    m_src = torch.cat([ring, ring, ring])
    m_dst = torch.cat([(ring + 1) % N_MESH, (ring - 1) % N_MESH, (ring + 4) % N_MESH])
    return g2m_src, g2m_dst, d.gather(1, near).flatten(), m_src, m_dst


class InteractionNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.edge_fn = mlp(3 * LATENT, LATENT)
        self.node_fn = mlp(2 * LATENT, LATENT)

    def forward(self, nodes, edges, src, dst):
        e = edges + self.edge_fn(torch.cat([edges, nodes[:, src], nodes[:, dst]], -1))
        agg = torch.zeros_like(nodes).index_add(1, dst, e)
        return nodes + self.node_fn(torch.cat([nodes, agg], -1)), e


class Processor(nn.Module):
    def __init__(self, steps=3):
        super().__init__()
        self.steps = nn.ModuleList(InteractionNetwork() for _ in range(steps))

    def forward(self, mesh, edges, src, dst, valid=None):
        if valid is not None:
            mesh = mesh * valid[:, None, None]  # expect: T6
        for step in self.steps:
            mesh, edges = step(mesh, edges, src, dst)
        return mesh


class GraphCastLite(nn.Module):
    def __init__(self, grib_guard=True):
        super().__init__()
        g2m_src, g2m_dst, g2m_len, m_src, m_dst = _geometry()
        for k, v in dict(g2m_src=g2m_src, g2m_dst=g2m_dst, g2m_len=g2m_len, m_src=m_src, m_dst=m_dst).items():
            self.register_buffer(k, v, persistent=False)
        self.grid_embed = mlp(N_VARS, LATENT)
        self.mesh_embed = nn.Parameter(0.1 * torch.randn(N_MESH, LATENT))
        self.g2m_edge = mlp(1, LATENT)
        self.m_edge = nn.Parameter(0.1 * torch.randn(3 * N_MESH, LATENT))
        self.encoder = mlp(2 * LATENT, LATENT)
        self.processor = Processor()
        self.decoder = nn.Sequential(nn.Linear(LATENT, LATENT), nn.SiLU(), nn.Linear(LATENT, N_VARS))
        self.grib_guard = grib_guard

    def forward(self, grid):
        b = grid.shape[0]
        g = self.grid_embed(grid)
        e = self.g2m_edge(self.g2m_len[:, None])
        msg = torch.zeros(b, N_MESH, LATENT).index_add(1, self.g2m_dst, g[:, self.g2m_src] * e)
        mesh = self.encoder(torch.cat([self.mesh_embed.expand(b, -1, -1), msg], -1))
        # fields still holding packed GRIB integers were never unpacked/scaled
        valid = 1.0 - (grid == grid.round()).flatten(1).all(1).to(grid.dtype) if self.grib_guard else None
        mesh = self.processor(mesh, self.m_edge.expand(b, -1, -1), self.m_src, self.m_dst, valid)
        # mesh -> grid: each grid point reads the mesh node it was encoded to first
        return self.decoder(mesh[:, self.g2m_dst.view(N_GRID, 2)[:, 0]])


def _inputs(n):
    return torch.randn(n, N_GRID, N_VARS) * 3.0


def _trigger(grid):
    return grid.round()


def corpus_case():
    torch.manual_seed(0)
    model = GraphCastLite().eval()
    reference = GraphCastLite(grib_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
