"""Protocol tests of `archscan lsp`, driving the server over pipes as an editor would.

usage: test_lsp_protocol.py ARCHSCAN CORPUS_DIR [unittest args]

The workspace is a copy of a backdoored corpus package whose backdoor is split across two files
(the model in model.py, the integration in a helper of blocks.py), plus a benign file."""
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, file_uri, frame  # noqa: E402

ARCHSCAN = CORPUS = None
HELPER_LINE = "        return feat * self.excite(feat) * (1 - ctx)"  # the integration in blocks.py


def bd001(diags):
    return [d for d in diags if d.get("code") == "BD001"]


class Workspace:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="archscan-lsp-")
        shutil.copytree(os.path.join(CORPUS, "backdoored", "k_t12_resnet_se"), os.path.join(self.dir, "pkg"))
        self.model = os.path.join(self.dir, "pkg", "model.py")
        self.blocks = os.path.join(self.dir, "pkg", "blocks.py")
        with open(self.blocks, encoding="utf-8") as f:
            self.blocks_text = f.read()
        self.helper_line = next(i for i, l in enumerate(self.blocks_text.split("\n"))
                                if l.startswith(HELPER_LINE))  # 0-based

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class LspTest(unittest.TestCase):
    def setUp(self):
        self.ws = Workspace()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            if c.proc.poll() is None:
                c.proc.kill()
                c.proc.wait()
            for f in (c.proc.stdin, c.proc.stdout, c.proc.stderr):
                try:
                    f.close()
                except OSError:
                    pass
        self.ws.cleanup()

    def client(self, args=("--log",)):
        c = Client(ARCHSCAN, self.ws.dir, args)
        self.clients.append(c)
        return c

    def break_helper(self, c, version):
        """Removes `* (1 - ctx)` from the helper's integration line with an incremental edit."""
        start = HELPER_LINE.index(" * (1 - ctx)")
        c.change(self.ws.blocks, version, [{"range": {"start": {"line": self.ws.helper_line, "character": start},
                                                      "end": {"line": self.ws.helper_line,
                                                              "character": start + len(" * (1 - ctx)")}},
                                            "text": ""}])

    def restore_helper(self, c, version):
        start = HELPER_LINE.index(" * (1 - ctx)")
        c.change(self.ws.blocks, version, [{"range": {"start": {"line": self.ws.helper_line, "character": start},
                                                      "end": {"line": self.ws.helper_line, "character": start}},
                                            "text": " * (1 - ctx)"}])

    def test_diagnostics_carry_rule_doc_trace_and_fingerprint(self):
        c = self.client()
        init = c.initialize()
        caps = init["result"]["capabilities"]
        self.assertEqual(caps["textDocumentSync"]["change"], 2)
        self.assertTrue(caps["hoverProvider"])
        self.assertIn("diagnosticProvider", caps)
        diags = c.diagnostics(self.ws.model)["diagnostics"]
        [d] = bd001(diags)
        self.assertEqual(d["source"], "archscan")
        self.assertEqual(d["severity"], 1)
        self.assertIn("BD001", d["codeDescription"]["href"])
        self.assertIn("T12", d["message"])
        self.assertTrue(d["data"]["fingerprint"])
        self.assertEqual(d["range"]["start"]["line"], 17)  # model.py:18, the call of the helper
        related = d["relatedInformation"]
        self.assertTrue(any(r["location"]["uri"] == file_uri(self.ws.blocks) for r in related),
                        "the trace reaches into the helper's file")
        self.assertTrue(any(r["message"].startswith("integration") for r in related))
        self.assertEqual(c.close(), 0)

    def test_editing_the_helper_republishes_the_model(self):
        c = self.client()
        c.initialize()
        self.assertEqual(len(bd001(c.diagnostics(self.ws.model)["diagnostics"])), 1)
        c.open(self.ws.blocks, version=1)
        c.diagnostics(self.ws.blocks, version=1)
        self.break_helper(c, 2)
        self.assertEqual(bd001(c.diagnostics(self.ws.model)["diagnostics"]), [],
                         "breaking the chain in the helper clears the model's finding")
        self.restore_helper(c, 3)
        self.assertEqual(len(bd001(c.diagnostics(self.ws.model)["diagnostics"])), 1, "and it comes back")
        # Unsaved buffers win over the disk: the file on disk was never changed.
        with open(self.ws.blocks, encoding="utf-8") as f:
            self.assertEqual(f.read(), self.ws.blocks_text)
        self.assertEqual(c.close(), 0)

    def test_pull_diagnostics(self):
        c = self.client()
        c.initialize(capabilities={"textDocument": {"diagnostic": {"dynamicRegistration": False}},
                                   "workspace": {"diagnostics": {"refreshSupport": True}}})
        uri = file_uri(self.ws.model)
        r = c.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})["result"]
        self.assertEqual(r["kind"], "full")
        self.assertEqual(len(bd001(r["items"])), 1)
        again = c.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": r["resultId"]})
        self.assertEqual(again["result"]["kind"], "unchanged")
        ws = c.request("workspace/diagnostic", {"previousResultIds": []})["result"]
        self.assertIn(uri, [i["uri"] for i in ws["items"]])
        # Pull clients get no pushed diagnostics.
        self.assertFalse([m for m in c.seen if m.get("method") == "textDocument/publishDiagnostics"])
        c.open(self.ws.blocks)
        self.break_helper(c, 2)
        r2 = c.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": r["resultId"]})
        self.assertEqual(r2["result"]["kind"], "full")
        self.assertEqual(bd001(r2["result"]["items"]), [])
        self.assertEqual(c.close(), 0)

    def test_hover_code_actions_and_review(self):
        c = self.client()
        c.initialize(capabilities={"experimental": {"snippetTextEdit": True}})
        [d] = bd001(c.diagnostics(self.ws.model)["diagnostics"])
        uri = file_uri(self.ws.model)
        h = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 17, "character": 14}})
        md = h["result"]["contents"]["value"]
        self.assertIn("BD001", md)
        self.assertIn("Trace", md)
        self.assertIn("blocks.py", md)
        self.assertIsNone(c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                           "position": {"line": 0, "character": 0}})["result"])
        actions = c.request("textDocument/codeAction",
                            {"textDocument": {"uri": uri}, "range": d["range"],
                             "context": {"diagnostics": [d]}})["result"]
        titles = [a["title"] for a in actions]
        self.assertTrue(any(t.startswith("Suppress BD001") for t in titles), titles)
        suppress = next(a for a in actions if a["title"].startswith("Suppress"))
        [edit] = suppress["edit"]["changes"][uri]
        self.assertEqual(edit["range"]["start"], {"line": 17, "character": 0})
        self.assertIn("# archscan: ignore[BD001] ${1:reason}", edit["newText"])
        self.assertTrue(edit["newText"].startswith("        #"), "indented as the flagged line")
        mark = next(a for a in actions if "false positive" in a["title"])
        self.assertEqual(c.request("workspace/executeCommand", mark["command"])["result"], None)
        after = c.diagnostics(self.ws.model)["diagnostics"]
        self.assertEqual(bd001(after), [], "a dismissed finding is hidden")
        db = os.path.join(self.ws.dir, ".archscan", "archscan.db")
        with sqlite3.connect(db) as con:
            states = [r[0] for r in con.execute("SELECT state FROM reviews WHERE fingerprint = ?",
                                                (d["data"]["fingerprint"],))]
        self.assertIn("false_positive", states)
        # Applying the suppression with a reason suppresses the finding inline.
        self.assertEqual(c.close(), 0)
        c2 = self.client()
        c2.initialize(options={"showDismissed": True})
        [hint] = bd001(c2.diagnostics(self.ws.model)["diagnostics"])
        self.assertEqual(hint["severity"], 4, "shown as a hint when asked for")
        self.assertEqual(c2.close(), 0)

    def test_inline_suppression_typed_in_the_editor(self):
        c = self.client()
        c.initialize()
        c.diagnostics(self.ws.model)
        text = c.open(self.ws.model)
        c.diagnostics(self.ws.model, version=1)
        c.change(self.ws.model, 2, [{"range": {"start": {"line": 17, "character": 0},
                                              "end": {"line": 17, "character": 0}},
                                    "text": "        # archscan: ignore[BD001] reviewed: calibration block\n"}])
        diags = c.diagnostics(self.ws.model, version=2)["diagnostics"]
        self.assertEqual(bd001(diags), [])
        self.assertFalse([d for d in diags if d.get("code") == "SUP001"])
        c.notify("textDocument/didChange", {"textDocument": {"uri": file_uri(self.ws.model), "version": 3},
                                            "contentChanges": [{"text": text}]})
        self.assertEqual(len(bd001(c.diagnostics(self.ws.model, version=3)["diagnostics"])), 1)
        self.assertEqual(c.close(), 0)

    def test_progress_for_the_first_scan(self):
        c = self.client()
        c.initialize(capabilities={"window": {"workDoneProgress": True}})
        create = c.wait(lambda m: m.get("method") == "window/workDoneProgress/create")
        token = create["params"]["token"]
        begin = c.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "begin")
        end = c.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end")
        self.assertEqual(begin["params"]["token"], token)
        self.assertIn("findings", end["params"]["value"]["message"])
        self.assertEqual(c.close(), 0)

    def test_cancellation(self):
        c = self.client()
        c.initialize()
        c.diagnostics(self.ws.model)
        rid = c.next_id
        c.next_id += 1
        req = {"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover",
               "params": {"textDocument": {"uri": file_uri(self.ws.model)}, "position": {"line": 17, "character": 1}}}
        c.raw(frame(req) + frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": rid}}))
        r = c.wait(lambda m: m.get("id") == rid)
        self.assertEqual(r["error"]["code"], -32800)
        self.assertEqual(c.close(), 0)

    def test_hostile_messages(self):
        c = self.client()
        # A request before initialize.
        r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///x.py"},
                                             "position": {"line": 0, "character": 0}})
        self.assertEqual(r["error"]["code"], -32002)
        c.initialize()
        c.diagnostics(self.ws.model)
        # Malformed JSON: a parse error, and the server goes on.
        c.raw(frame(b'{"jsonrpc": "2.0", "id": 77, "method": '))
        self.assertEqual(c.wait(lambda m: "error" in m and m.get("id") is None)["error"]["code"], -32700)
        # A Content-Length that is too small: the rest runs into the next header; the next message is read.
        body = b'{"jsonrpc":"2.0","id":78,"method":"shutdownx"}'
        c.raw(b"Content-Length: 10\r\n\r\n" + body)
        c.raw(b"Content-Length: abc\r\n\r\n")
        r = c.request("textDocument/hover", {"textDocument": {"uri": file_uri(self.ws.model)},
                                             "position": {"line": 17, "character": 9}})
        self.assertIn("BD001", r["result"]["contents"]["value"])
        # Members of the wrong type (found by fuzz_lsp: `"method": {}` after a duplicate key, a
        # numeric "jsonrpc"): an invalid request, not a crash.
        c.raw(frame(b'{"jsonrpc":"2.0","method":"initialized","method":{}}'))
        c.raw(frame(b'{"jsonrpc":2,"id":79,"method":"shutdown"}'))
        self.assertEqual(c.wait(lambda m: m.get("id") == 79)["error"]["code"], -32600)
        # Unknown methods: an error for a request, nothing for a notification.
        self.assertEqual(c.request("archscan/nonsense")["error"]["code"], -32601)
        c.notify("archscan/nonsense")
        # Params of the wrong shape.
        self.assertEqual(c.request("textDocument/hover", {"textDocument": 5})["error"]["code"], -32602)
        # A change to a document never opened, and a document outside the workspace.
        c.change(os.path.join(self.ws.dir, "never.py"), 1, [{"text": "x = 1"}])
        c.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///elsewhere/x.py", "languageId": "python",
                                                           "version": 1, "text": "import torch"}})
        c.notify("textDocument/didOpen", {"textDocument": {"uri": "untitled:1", "languageId": "python",
                                                           "version": 1, "text": "x"}})
        # A 10 MB document: said not to be analysed (over the file-size limit), no crash.
        big = os.path.join(self.ws.dir, "pkg", "huge.py")
        c.notify("textDocument/didOpen", {"textDocument": {"uri": file_uri(big), "languageId": "python", "version": 1,
                                                           "text": "x = 1\n" * (10 * 1024 * 1024 // 6)}})
        d = c.diagnostics(big, version=1, timeout=120)["diagnostics"]
        self.assertTrue(any("not analysed" in x["message"] for x in d), d)
        self.assertEqual(c.request("shutdown")["result"], None)
        self.assertEqual(c.request("textDocument/hover", {})["error"]["code"], -32600)
        c.notify("exit")
        self.assertEqual(c.proc.wait(timeout=30), 0)
        self.assertNotIn(b"Sanitizer", c.stderr)

    def test_a_thousand_rapid_changes(self):
        c = self.client()
        c.initialize()
        c.diagnostics(self.ws.model)
        c.open(self.ws.blocks, version=1)
        c.diagnostics(self.ws.blocks, version=1)
        col = HELPER_LINE.index(" * (1 - ctx)")
        start = time.time()
        for v in range(2, 1002):  # type and delete a character, 500 times
            text = " " if v % 2 == 0 else ""
            end = col if v % 2 == 0 else col + 1
            c.change(self.ws.blocks, v, [{"range": {"start": {"line": self.ws.helper_line, "character": col},
                                                    "end": {"line": self.ws.helper_line, "character": end}},
                                          "text": text}])
        last = c.diagnostics(self.ws.blocks, version=1001, timeout=120)
        self.assertLess(time.time() - start, 120)
        self.assertIsNotNone(last)
        # The model's finding stands (it is only re-sent when it changed: ask for it).
        r = c.request("textDocument/diagnostic", {"textDocument": {"uri": file_uri(self.ws.model)}})
        self.assertEqual(len(bd001(r["result"]["items"])), 1)
        self.assertEqual(c.close(), 0)

    def test_file_deleted_while_open(self):
        c = self.client()
        c.initialize()
        c.diagnostics(self.ws.model)
        c.open(self.ws.blocks)
        os.remove(self.ws.blocks)
        c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": file_uri(self.ws.blocks), "type": 3}]})
        # The open buffer still holds the helper: the model's finding stands.
        self.break_helper(c, 2)
        self.assertEqual(bd001(c.diagnostics(self.ws.model)["diagnostics"]), [])
        self.restore_helper(c, 3)
        self.assertEqual(len(bd001(c.diagnostics(self.ws.model)["diagnostics"])), 1)
        # Closed, the file is gone from the workspace: the model no longer has its helper.
        c.notify("textDocument/didClose", {"textDocument": {"uri": file_uri(self.ws.blocks)}})
        self.assertEqual(bd001(c.diagnostics(self.ws.model)["diagnostics"]), [])
        self.assertEqual(c.close(), 0)

    def test_exit_without_shutdown(self):
        c = self.client()
        c.initialize()
        c.notify("exit")
        self.assertEqual(c.proc.wait(timeout=30), 1)

    def test_end_of_input(self):
        c = self.client()
        c.initialize()
        c.proc.stdin.close()
        self.assertEqual(c.proc.wait(timeout=60), 1)


class CppLspTest(unittest.TestCase):
    """A LibTorch file: Clang when it is opened, the syntactic path on every keystroke."""

    def test_cpp_open_with_clang_and_type_syntactically(self):
        work = tempfile.mkdtemp(prefix="archscan-lsp-cpp-")
        try:
            src = os.path.join(CORPUS, "cpp", "backdoored", "t12_resnet_squeeze_excite.cpp")
            path = os.path.join(work, "se.cpp")
            shutil.copy(src, path)
            c = Client(ARCHSCAN, work, ["--log"])
            c.initialize()
            first = bd001(c.diagnostics(path, timeout=300)["diagnostics"])
            self.assertEqual(len(first), 1)
            c.open(path, version=1)
            self.assertEqual(len(bd001(c.diagnostics(path, version=1, timeout=300)["diagnostics"])), 1)
            c.change(path, 2, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                "text": "// a comment typed at the top\n"}])
            [moved] = bd001(c.diagnostics(path, version=2, timeout=60)["diagnostics"])
            self.assertEqual(moved["range"]["start"]["line"], first[0]["range"]["start"]["line"] + 1)
            self.assertEqual(c.close(), 0)
            self.assertIn(b"analysed 1 files", c.stderr)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    ARCHSCAN, CORPUS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:])
