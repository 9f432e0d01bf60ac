"""A minimal LSP client for the protocol tests and the latency bench: frames messages, runs
`archscan lsp` as a child process, reads its output on a thread and lets a test wait for a reply or
a notification."""
import json
import os
import queue
import subprocess
import threading
import time


def frame(obj_or_bytes):
    body = obj_or_bytes if isinstance(obj_or_bytes, bytes) else json.dumps(obj_or_bytes).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def file_uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


class Client:
    def __init__(self, archscan, root, args=(), env=None):
        self.proc = subprocess.Popen([archscan, "lsp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=root, env=env)
        self.root = root
        self.inbox = queue.Queue()
        self.seen = []  # every message received, in order
        self.next_id = 1
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.decode().partition(":")
                headers[k.strip().lower()] = v.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body))

    def raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        self.raw(frame(obj))

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})
        return rid

    def wait(self, pred, timeout=60):
        """Returns the first message (seen earlier or arriving) for which pred is true."""
        for m in self.seen:
            if pred(m):
                self.seen.remove(m)
                return m
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no matching message within %ss" % timeout)
            try:
                m = self.inbox.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no matching message within %ss" % timeout)
            if m is None:
                raise EOFError("the server closed its output")
            if isinstance(m, dict) and "id" in m and "method" in m:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            if pred(m):
                return m
            self.seen.append(m)

    def request(self, method, params=None, timeout=60):
        rid = self.request_async(method, params)
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def diagnostics(self, path, version=None, timeout=60):
        uri = file_uri(path)
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri
                         and (version is None or m["params"].get("version") == version), timeout)["params"]

    def initialize(self, capabilities=None, options=None):
        r = self.request("initialize", {"processId": os.getpid(), "rootUri": file_uri(self.root),
                                        "capabilities": capabilities or {}, "initializationOptions": options or {}})
        self.notify("initialized")
        return r

    def open(self, path, version=1):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": file_uri(path), "languageId": "python",
                                                               "version": version, "text": text}})
        return text

    def change(self, path, version, changes):
        self.notify("textDocument/didChange", {"textDocument": {"uri": file_uri(path), "version": version},
                                                "contentChanges": changes})

    def close(self, timeout=30):
        try:
            self.request("shutdown", timeout=timeout)
            self.notify("exit")
        except (BrokenPipeError, EOFError):
            pass
        return self.proc.wait(timeout=timeout)
