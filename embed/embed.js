// Stowage's runnable code blocks, for a tutorial page (docs/embed.md). Dependency-free.
//
//   <script src="https://your.site/stowage/embed.js" defer></script>
//   <pre data-stowage>docker volume create notes
//   docker run --rm -v notes:/data busybox ls /data</pre>
//
// Each <pre data-stowage> gets a Run button that sends its commands, one by one, to a Stowage
// embedded in the page (one frame shared by the page, placed in an element marked
// data-stowage-frame or after the first block; a block with data-stowage-scenario="ID" gets a
// frame of its own), and shows whether they ran and their exit status. Continuation lines and
// here-documents are joined as the terminal joins them; "#" comment lines and a leading "$ "
// prompt are skipped. Without JavaScript the page reads as plain code.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/[^/]*$/, "") : "./";
  var frames = {};
  var nextId = 1;

  // The commands of a block's text, as the terminal would take them.
  function commands(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n"), out = [], cur = null, heredoc = null;
    lines.forEach(function (raw) {
      var line = cur === null && heredoc === null ? raw.replace(/^\s*\$ /, "") : raw;
      if (heredoc !== null) {
        cur += "\n" + line;
        if (line.replace(/^\t+/, "") === heredoc) heredoc = null;
        if (heredoc === null && !/\\$/.test(line)) { out.push(cur); cur = null; }
        return;
      }
      if (cur === null) {
        if (/^\s*(#|$)/.test(line)) return;
        cur = line;
      } else {
        cur += "\n" + line;
      }
      var here = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
      if (here) { heredoc = here[2]; return; }
      if (!/(^|[^\\])(\\\\)*\\$/.test(line)) { out.push(cur); cur = null; }
    });
    if (cur !== null) out.push(cur);
    return out;
  }

  // One embedded Stowage: its frame, whether it is ready, what waits for it.
  function frameFor(scenario, after) {
    var key = scenario || "";
    if (frames[key]) return frames[key];
    var iframe = document.createElement("iframe");
    iframe.title = "Stowage: a Docker storage simulator";
    iframe.className = "stowage-frame";
    iframe.style.cssText = "display:block;width:100%;height:480px;border:1px solid #cfd4dc;border-radius:6px;margin:0.8em 0";
    iframe.src = base + "?embed&view=both" + (scenario ? "#scenario=" + encodeURIComponent(scenario) : "");
    var holder = scenario ? null : document.querySelector("[data-stowage-frame]");
    if (holder) holder.appendChild(iframe); else after.parentNode.insertBefore(iframe, after.nextSibling);
    var f = { iframe: iframe, ready: false, queue: [], waiting: {} };
    frames[key] = f;
    return f;
  }

  function send(f, message) {
    if (f.ready) f.iframe.contentWindow.postMessage(message, "*"); else f.queue.push(message);
  }

  window.addEventListener("message", function (e) {
    Object.keys(frames).forEach(function (key) {
      var f = frames[key];
      if (e.source !== f.iframe.contentWindow || !e.data) return;
      if (e.data.type === "stowage:ready") {
        f.ready = true;
        f.queue.splice(0).forEach(function (m) { send(f, m); });
      } else if (e.data.type === "stowage:ran" && f.waiting[e.data.id]) {
        var done = f.waiting[e.data.id];
        delete f.waiting[e.data.id];
        done(e.data);
      }
    });
  });

  function setUp(pre) {
    var list = commands(pre.textContent);
    if (list.length === 0) return;
    var bar = document.createElement("div");
    bar.className = "stowage-run";
    bar.style.cssText = "display:flex;align-items:center;gap:0.6em;margin:-0.4em 0 1em;font:0.9em system-ui,sans-serif";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Run";
    button.setAttribute("aria-label", "Run in Stowage: " + list[0].split("\n")[0] + (list.length > 1 ? " and " + (list.length - 1) + " more" : ""));
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    bar.appendChild(button);
    bar.appendChild(status);
    pre.parentNode.insertBefore(bar, pre.nextSibling);
    // (The first block that uses the page's shared frame has it placed after its Run bar.)
    var f = frameFor(pre.getAttribute("data-stowage-scenario"), bar);
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = "running…";
      var i = 0, exits = [];
      (function next() {
        if (i === list.length) {
          // Every command's exit status, in order, when one of them failed.
          var failed = exits.some(function (x) { return x !== 0; });
          status.textContent = failed ? "finished: exit " + exits.join(", ") : "✓ ran (exit 0)";
          button.disabled = false;
          return;
        }
        var id = "b" + nextId++;
        f.waiting[id] = function (ran) { exits.push(ran.exitCode); i++; next(); };
        send(f, { type: "stowage:run", command: list[i], id: id });
      })();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("pre[data-stowage]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
