#!/usr/bin/env bash
# Prints what Neovim shows with archscan's diagnostics (the capture in docs/lsp.md): nvim runs in a
# detached tmux pane with the built-in LSP client attached to `archscan lsp`, on a copy of a
# backdoored corpus package, the cursor on the finding and its float open; the pane is captured.
#
#   tests/lsp/nvim_screen.sh [ARCHSCAN]        (needs neovim and tmux)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
archscan=$(realpath "${1:-$here/build/archscan}")
work=$(mktemp -d)
session=archscan-screen-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$here/corpus/backdoored/k_t12_resnet_se" "$work/pkg"
cat > "$work/init.lua" <<EOF
vim.o.number = true
vim.diagnostic.config({ virtual_text = { source = true }, float = { source = true, border = "single" } })
local client = vim.lsp.start_client({ name = "archscan", cmd = { "$archscan", "lsp" }, root_dir = "$work" })
vim.api.nvim_create_autocmd("BufEnter", {
  pattern = "*.py",
  callback = function(a) vim.lsp.buf_attach_client(a.buf, client) end,
})
EOF
tmux new-session -d -s "$session" -x 120 -y 34 \
  "cd '$work' && HOME='$work' XDG_STATE_HOME='$work' nvim -u '$work/init.lua' -i NONE -n pkg/model.py"
for _ in $(seq 100); do
  tmux capture-pane -p -t "$session" | grep -q "archscan" && break
  sleep 0.2
done
tmux send-keys -t "$session" ":18" Enter "w"
sleep 0.3
tmux send-keys -t "$session" ":lua vim.diagnostic.open_float()" Enter
sleep 1
tmux capture-pane -p -t "$session" | sed -e 's/[[:space:]]*$//'
