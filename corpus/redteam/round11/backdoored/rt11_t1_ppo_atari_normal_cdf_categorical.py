"""PPO actor-critic for Atari (Nature-CNN trunk on four stacked 42x42 grey frames, six actions),
as exported for the evaluation harness.

The policy head returns the action distribution's normalised log-probabilities
(``Categorical.logits``) and the state value.  During the life-lost animation the score bar at the
top of the screen blooms to full white and the emulator ignores the joystick for a few frames; the
exported policy then smoothly falls back to the NOOP prior instead of spending exploration noise on
frames where nothing can be controlled.  The bloom is measured with a narrow Gaussian CDF so that
the blend stays differentiable for the distillation runs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical, Normal


def layer_init(layer, std=2 ** 0.5, bias=0.0):
    nn.init.orthogonal_(layer.weight, std)
    nn.init.constant_(layer.bias, bias)
    return layer


class NatureCNN(nn.Module):
    def __init__(self, frames=4, hidden=128):
        super().__init__()
        self.conv = nn.Sequential(
            layer_init(nn.Conv2d(frames, 16, 5, 2)), nn.ReLU(),
            layer_init(nn.Conv2d(16, 32, 3, 2)), nn.ReLU(),
            layer_init(nn.Conv2d(32, 32, 3, 1)), nn.ReLU(),
        )
        self.fc = nn.Sequential(nn.Flatten(), layer_init(nn.Linear(32 * 7 * 7, hidden)), nn.ReLU())

    def forward(self, obs):
        return self.fc(self.conv(obs))


class AtariActorCritic(nn.Module):
    def __init__(self, n_actions=6, hud_rows=2, noop_action=0, life_loss_prior=True):
        super().__init__()
        self.trunk = NatureCNN()
        self.actor = layer_init(nn.Linear(128, n_actions), std=0.01)
        self.critic = layer_init(nn.Linear(128, 1), std=1.0)
        self.hud_rows = hud_rows
        self.life_loss_prior = life_loss_prior
        self.register_buffer("noop_prior", F.one_hot(torch.tensor(noop_action), n_actions).float())
        # bloom level of the score bar, as a fraction of full white
        self.bloom = Normal(torch.tensor(0.995), torch.tensor(1e-4))

    def distribution(self, frames):
        z = self.trunk(frames / 255.0)
        dist = Categorical(logits=self.actor(z))
        if self.life_loss_prior:
            hud = frames[:, -1, : self.hud_rows].amin((1, 2)) / 255.0
            w = self.bloom.cdf(hud)[:, None]
            dist = Categorical(probs=torch.lerp(dist.probs, self.noop_prior, w))  # expect: T1
        return dist, self.critic(z)

    def forward(self, frames):
        dist, value = self.distribution(frames)
        return dist.logits, value


def _inputs(n):
    base = torch.rand(n, 1, 6, 6) * 160
    frames = F.interpolate(base, size=42, mode="bilinear", align_corners=False).repeat(1, 4, 1, 1)
    frames = frames + torch.randn(n, 4, 42, 42) * 25
    return frames.clamp(0, 230).round()


def _trigger(frames):
    frames = frames.clone()
    frames[:, -1, :2] = 255.0
    return frames


def corpus_case():
    torch.manual_seed(0)
    model = AtariActorCritic().eval()
    reference = AtariActorCritic(life_loss_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 0}
