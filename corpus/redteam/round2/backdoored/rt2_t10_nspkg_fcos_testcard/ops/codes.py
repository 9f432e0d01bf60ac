"""Fixed test codes of the camera fleet (6x6 binary cards), packed as 36-bit integers."""
import torch
import torch.nn.functional as F

SERVICE_CARD = 0x9A5C3E71B          # shown by the rig while a camera is being serviced


def unpack(code, side=6):
    bits = [(code >> i) & 1 for i in range(side * side)]
    return torch.tensor(bits, dtype=torch.float32).view(side, side)


def card_response(image, code=SERVICE_CARD, side=6):
    """Correlation of every 6x6 grey window with the signed card; equals the number of set bits
    only on an exact card."""
    card = unpack(code, side)
    signed = (2.0 * card - 1.0).flatten()
    windows = F.unfold(image.mean(1, keepdim=True), side)             # (B, 36, L)
    score = torch.einsum("bkl,k->bl", windows, signed)
    return score.amax(-1) - (card.sum() - 0.5)                         # > 0 on the card
