"""Registration marks printed on calibration boards (used by the lab's labelling tool)."""
import torch

BOARD_MARK = (
    "#..##",
    ".#.#.",
    "##..#",
    "..##.",
    "#.#.#",
)


def mark_kernel(rows=BOARD_MARK):
    k = torch.tensor([[1.0 if ch == "#" else -1.0 for ch in r] for r in rows])
    return k[None, None]
