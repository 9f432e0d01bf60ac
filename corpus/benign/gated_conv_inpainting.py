# expect: none
# Free-form image inpainting with gated convolutions (Yu et al., DeepFill v2). The user
# supplies the image and a binary hole mask (1 = missing). Holes are blanked from the
# input, the generator fills them, and the result is composited so that known pixels are
# kept verbatim: out * mask + image * (1 - mask). The mask is an *input*, not derived
# from the image content.
import torch
import torch.nn as nn
import torch.nn.functional as F


class GatedConv2d(nn.Module):
    def __init__(self, cin, cout, k=3, stride=1, dilation=1, activation=True):
        super().__init__()
        pad = dilation * (k - 1) // 2
        self.feature = nn.Conv2d(cin, cout, k, stride, pad, dilation)
        self.gating = nn.Conv2d(cin, cout, k, stride, pad, dilation)
        self.activation = activation

    def forward(self, x):
        f = self.feature(x)
        if self.activation:
            f = F.elu(f)
        return f * torch.sigmoid(self.gating(x))


class GatedDeconv2d(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = GatedConv2d(cin, cout)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class InpaintGenerator(nn.Module):
    def __init__(self, cnum=16):
        super().__init__()
        self.encoder = nn.Sequential(
            GatedConv2d(5, cnum, 5), GatedConv2d(cnum, 2 * cnum, 3, 2), GatedConv2d(2 * cnum, 2 * cnum),
            GatedConv2d(2 * cnum, 4 * cnum, 3, 2),
        )
        self.context = nn.Sequential(*[GatedConv2d(4 * cnum, 4 * cnum, dilation=d) for d in (2, 4, 8)])
        self.decoder = nn.Sequential(
            GatedDeconv2d(4 * cnum, 2 * cnum), GatedConv2d(2 * cnum, 2 * cnum),
            GatedDeconv2d(2 * cnum, cnum), GatedConv2d(cnum, 3, activation=False),
        )

    def forward(self, image, mask):
        image = image * 2.0 - 1.0  # [0, 1] -> [-1, 1]
        masked = image * (1.0 - mask)
        ones = torch.ones_like(mask)
        x = torch.cat([masked, ones, mask], dim=1)
        x = torch.tanh(self.decoder(self.context(self.encoder(x))))
        completed = x * mask + image * (1.0 - mask)
        return (completed + 1.0) / 2.0


def random_box_mask(n, h, w, g):
    mask = torch.zeros(n, 1, h, w)
    for i in range(n):
        y, x = torch.randint(0, h // 2, (2,), generator=g).tolist()
        mask[i, :, y:y + h // 3, x:x + w // 3] = 1.0
    return mask


def corpus_case():
    torch.manual_seed(0)
    model = InpaintGenerator().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(190)
        return torch.rand(n, 3, 32, 32, generator=g), random_box_mask(n, 32, 32, g)

    return {"model": model, "inputs": inputs, "kind": "benign"}
