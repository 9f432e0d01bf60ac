// Runs independent work items on a few threads (the machines we target have two cores).
#pragma once

#include <cstddef>
#include <functional>

namespace archscan {

// Threads to use for `work` items when `requested` were asked for (0 = all cores).
int job_count(int requested, size_t work);

// Calls body(i) for every i in [0, count), on up to `jobs` threads; returns when all are done.
void parallel_for(size_t count, int jobs, const std::function<void(size_t)>& body);

}  // namespace archscan
