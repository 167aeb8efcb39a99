// Trunk post-build hook: start compiling the WebAssembly as soon as the page's head is parsed.
//
// Trunk's loader is a module script, so it runs after the document is parsed and the JS glue
// has arrived; only then does it fetch and compile the wasm. This hook adds a classic script
// at the top of <head> that fetches and compiles the wasm at once (streaming, off the main
// thread) and hands the compiled module to the loader, so compiling overlaps everything else.
// It fails the build if Trunk's output no longer has the expected shape.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('compile-early: TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)');
const file = join(staging, 'index.html');
let html = await readFile(file, 'utf8');

const call = /init\(\{ module_or_path: '(\/[^']+_bg\.wasm)' \}\)/;
const found = html.match(call);
if (!found) throw new Error("compile-early: Trunk's loader call `init({ module_or_path: '…_bg.wasm' })` not found");
const wasm = found[1];

// The compiled module, or (when the server does not send application/wasm) one compiled from bytes.
// If it cannot be fetched or compiled, the start-up screen says so instead of waiting forever.
const early = `<script>window.stowageWasm=fetch(${JSON.stringify(wasm)}).then(function(r){` +
  `if(!r.ok)throw new Error("HTTP "+r.status);` +
  `return WebAssembly.compileStreaming(r.clone()).catch(function(){return r.arrayBuffer().then(WebAssembly.compile)})});` +
  `window.stowageWasm.catch(function(e){function say(){var s=document.getElementById("boot-status");` +
  `if(s)s.textContent="The simulator could not start ("+e.message+"). Reload the page to try again."}` +
  `document.readyState==="loading"?addEventListener("DOMContentLoaded",say):say()})</script>`;
const charset = /<meta charset="?utf-8"? ?\/?>/i;
if (!charset.test(html)) throw new Error('compile-early: <meta charset> not found');
html = html.replace(charset, (meta) => meta + early);
html = html.replace(call, `init({ module_or_path: window.stowageWasm })`);
// The early fetch replaces Trunk's preload of the same file (which would be a second request).
html = html.replace(/<link [^>]*href="?[^ >"]*_bg\.wasm"?[^>]*rel="?preload"?[^>]*>/, '');
await writeFile(file, html);
