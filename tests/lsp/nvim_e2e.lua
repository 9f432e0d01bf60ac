-- End to end with a real editor: Neovim's built-in LSP client attached to `archscan lsp`.
-- Run by test_nvim.py: nvim --headless -u NONE -i NONE -n -c "luafile nvim_e2e.lua", with
-- ARCHSCAN, WORKSPACE (a copy of a backdoored corpus package in pkg/) and RESULT in the environment.
-- Each check appends a line to RESULT; the last line is "PASS" or "FAIL <why>".
local archscan, root, result = os.getenv("ARCHSCAN"), os.getenv("WORKSPACE"), os.getenv("RESULT")
local out = io.open(result, "w")

local function say(line)
  out:write(line .. "\n")
  out:flush()
end

local function finish(ok, why)
  say(ok and "PASS" or ("FAIL " .. why))
  out:close()
  vim.cmd(ok and "qall!" or "cquit! 1")
end

-- The LSP diagnostic behind a vim.diagnostic item (Neovim 0.7 keeps it in user_data.lsp).
local function lsp_of(d)
  return (d.user_data and d.user_data.lsp) or d
end

local function backdoor_findings(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if lsp_of(d).code == "BD001" then
      table.insert(found, d)
    end
  end
  return found
end

local function wait_for(what, pred)
  if not vim.wait(60000, pred, 50) then
    finish(false, "timed out waiting for " .. what)
  end
  say("ok " .. what)
end

local client = vim.lsp.start_client({ name = "archscan", cmd = { archscan, "lsp" }, root_dir = root })
if not client then
  finish(false, "the client did not start")
end

vim.cmd("edit " .. root .. "/pkg/model.py")
local model = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(model, client)
wait_for("a BD001 diagnostic on model.py", function()
  return #backdoor_findings(model) == 1
end)

local d = backdoor_findings(model)[1]
local lsp = lsp_of(d)
say("diagnostic " .. d.lnum + 1 .. ": " .. d.message)
if d.severity ~= vim.diagnostic.severity.ERROR then
  finish(false, "severity is not error")
end
if d.source ~= "archscan" and lsp.source ~= "archscan" then
  finish(false, "source is not archscan")
end
local reaches_helper = false
for _, r in ipairs(lsp.relatedInformation or {}) do
  say("trace " .. vim.uri_to_fname(r.location.uri):sub(#root + 2) .. ":" .. r.location.range.start.line + 1 .. " " .. r.message)
  if r.location.uri:find("blocks.py", 1, true) then
    reaches_helper = true
  end
end
if not reaches_helper then
  finish(false, "the trace does not reach the helper in blocks.py")
end

-- Edit the helper through the editor: the model's finding goes away, then comes back.
vim.cmd("edit " .. root .. "/pkg/blocks.py")
local blocks = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(blocks, client)
local row, original
for i, line in ipairs(vim.api.nvim_buf_get_lines(blocks, 0, -1, false)) do
  if line:find("return feat * self.excite(feat) * (1 - ctx)", 1, true) then
    row, original = i, line
  end
end
if not row then
  finish(false, "the helper line is not in blocks.py")
end
local broken = original:gsub(" %* %(1 %- ctx%)", "", 1)
vim.api.nvim_buf_set_lines(blocks, row - 1, row, false, { broken })
wait_for("the model's BD001 gone after the helper edit", function()
  return #backdoor_findings(model) == 0
end)
vim.api.nvim_buf_set_lines(blocks, row - 1, row, false, { original })
wait_for("the model's BD001 back after undoing the edit", function()
  return #backdoor_findings(model) == 1
end)

vim.lsp.stop_client(client)
finish(true)
