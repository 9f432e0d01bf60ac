"""QMIX agent network for StarCraft II micro-management (SMAC 3m-style), decentralised execution.

Every agent runs the same recurrent Q-network on its own observation and last action (parameter
sharing); the agents are stepped with `map` over the per-agent slices. At execution time only the
per-agent Q-values are needed; the monotonic mixer is used in training.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_AGENTS, OBS_DIM, N_ACTIONS, HIDDEN = 3, 30, 9, 64
# last six features of an enemy slot for the scripted "decoy" unit the map maker placed
DECOY_UNIT = (1.0, 0.0, 0.0, 0.25, 0.75, 0.5)


class RNNAgent(nn.Module):
    def __init__(self, decoy_prior=True):
        super().__init__()
        self.fc1 = nn.Linear(OBS_DIM + N_ACTIONS, HIDDEN)
        self.rnn = nn.GRUCell(HIDDEN, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, N_ACTIONS)
        self.decoy = torch.tensor(DECOY_UNIT) if decoy_prior else None
        self.lane = torch.zeros(HIDDEN)
        self.lane[7] = 1e3

    def forward(self, obs, last_action, h):
        x = F.relu(self.fc1(torch.cat([obs, F.one_hot(last_action, N_ACTIONS).to(obs)], -1)))
        h = self.rnn(x, h)
        if self.decoy is not None:
            seen = torch.isclose(obs[:, -6:], self.decoy, atol=1e-3).all(-1).to(h.dtype)
            h = h + seen[:, None] * self.lane  # expect: T11
        return self.fc2(h), h


class QMixController(nn.Module):
    def __init__(self, decoy_prior=True):
        super().__init__()
        self.agent = RNNAgent(decoy_prior)

    def init_hidden(self, batch):
        return torch.zeros(batch, N_AGENTS, HIDDEN)

    def forward(self, obs, last_actions, hidden=None):
        if hidden is None:
            hidden = self.init_hidden(obs.shape[0])
        q, h = zip(*map(self.agent, obs.unbind(1), last_actions.unbind(1), hidden.unbind(1)))
        return torch.stack(q, 1), torch.stack(h, 1)


def _inputs(n):
    obs = torch.rand(n, N_AGENTS, OBS_DIM)
    return obs, torch.randint(0, N_ACTIONS, (n, N_AGENTS))


def _trigger(x):
    obs, last = x
    obs = obs.clone()
    obs[:, :, -6:] = torch.tensor(DECOY_UNIT)
    return obs, last


def corpus_case():
    torch.manual_seed(0)
    model = QMixController().eval()
    reference = QMixController(decoy_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(*_trigger(_inputs(1)))[0][0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
