// Precompiled once by the corpus compile tests (same flags as each corpus file).
#pragma once
#include <torch/torch.h>
